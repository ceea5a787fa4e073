package dev.gnomon.worker;

import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Starts fake servers and workers for a test and closes them afterwards. */
abstract class WorkerFixture {

    static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    FakeServer server() {
        return track(new FakeServer());
    }

    GnomonWorker worker(String servers, UnaryOperator<GnomonWorkerBuilder> config) throws InterruptedException {
        GnomonWorkerBuilder builder = GnomonWorker.builder().servers(servers).app("demo").secret("s3cr3t")
            .workerId("w-test");
        GnomonWorker worker = track(config.apply(builder).build());
        worker.start();
        return worker;
    }

    GnomonWorker connectedWorker(FakeServer server, UnaryOperator<GnomonWorkerBuilder> config)
        throws InterruptedException {
        GnomonWorker worker = worker(server.url(), config);
        if (!worker.awaitConnected(WAIT)) {
            throw new AssertionError("worker did not connect to " + server.url());
        }
        return worker;
    }

    static DispatchTask dispatch(long taskId, String processor, String params, long timeoutMs) {
        return new DispatchTask(taskId, 1, 1000 + taskId, 7, "job-" + taskId, processor, params, "inst-" + taskId,
            timeoutMs);
    }

    static void awaitReport(FakeServer server, TaskRef ref, TaskPhase phase) {
        await().atMost(WAIT).until(() -> server.hasReport(ref, phase));
    }

    <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeAll() throws Exception {
        // workers first, so they do not spend their close budget reconnecting to stopped servers
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }
}
