package dev.gnomon.tests.modes;

import dev.gnomon.worker.GnomonWorker;
import java.util.concurrent.CountDownLatch;

/**
 * An application with an embedded worker that runs {@link CountingMapReduce}, for tests that
 * start it in a JVM of its own: {@code <server url> <app> <secret> <worker id> <slots>}.
 */
public final class MapReduceWorkerMain {

    private MapReduceWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        GnomonWorker worker = GnomonWorker.builder().servers(args[0]).app(args[1]).secret(args[2]).workerId(args[3])
            .maxTasks(Integer.parseInt(args[4])).processor(CountingMapReduce.NAME, new CountingMapReduce()).build();
        worker.start();
        // runs until the test kills this JVM
        new CountDownLatch(1).await();
    }
}
