package dev.gnomon.bench;

import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process with a processor, {@code noop}, that does nothing and returns the epoch
 * microsecond at which it started: the harness reads it back from the instance's result to
 * measure start times across the process hop; and {@code sleep}, which sleeps for the job's
 * params in milliseconds first, to hold tasks running. Arguments: server URL, app, secret, max tasks.
 */
public final class NoopWorker {

    private NoopWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        GnomonWorker worker = GnomonWorker.builder()
            .servers(args[0]).app(args[1]).secret(args[2]).maxTasks(Integer.parseInt(args[3]))
            .processor("noop", ctx -> Result.success(Long.toString(Jvm.micros())))
            .processor("sleep", ctx -> {
                Thread.sleep(Long.parseLong(ctx.params()));
                return Result.success(Long.toString(Jvm.micros()));
            })
            .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "bench-worker-shutdown"));
        worker.start();
        System.out.println("bench worker " + worker.id() + " started");
        stopped.await();
    }
}
