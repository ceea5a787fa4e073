package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskPhase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopTest extends WorkerFixture {

    private final AtomicBoolean interrupted = new AtomicBoolean();

    private Result sleepForever(TaskContext ctx) {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.set(true);
            ctx.checkCancelled();
        }
        return Result.success("should not get here");
    }

    @Test
    void stopTaskInterruptsTheProcessorAndReportsStopped() throws Exception {
        FakeServer server = server();
        GnomonWorker worker = connectedWorker(server, b -> b.processor("sleep", this::sleepForever));
        DispatchTask task = dispatch(10, "sleep", null, 0);
        server.send(task);
        awaitReport(server, task.ref(), TaskPhase.STARTED);
        assertThat(worker.runningTasks()).containsExactly(task.ref());

        server.send(new StopTask(10, 1, StopReason.USER));

        awaitReport(server, task.ref(), TaskPhase.STOPPED);
        assertThat(interrupted).isTrue();
        assertThat(server.report(task.ref(), TaskPhase.STOPPED).message()).contains("USER");
        await().atMost(WAIT).until(() -> worker.runningTasks().isEmpty());
    }

    @Test
    void aStopWithReasonTimeoutReportsTimedOut() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("sleep", this::sleepForever));
        DispatchTask task = dispatch(11, "sleep", null, 0);
        server.send(task);
        awaitReport(server, task.ref(), TaskPhase.STARTED);

        server.send(new StopTask(11, 1, StopReason.TIMEOUT));

        awaitReport(server, task.ref(), TaskPhase.TIMED_OUT);
    }

    @Test
    void theWorkerEnforcesTheTimeout() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("sleep", this::sleepForever));
        DispatchTask task = dispatch(12, "sleep", null, 300);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.TIMED_OUT);
        assertThat(interrupted).isTrue();
        assertThat(server.report(task.ref(), TaskPhase.TIMED_OUT).message()).isEqualTo("timed out after 300 ms");
    }

    @Test
    void closeStopsRunningTasksAndReportsThem() throws Exception {
        FakeServer server = server();
        GnomonWorker worker = connectedWorker(server, b -> b.processor("sleep", this::sleepForever));
        DispatchTask task = dispatch(13, "sleep", null, 0);
        server.send(task);
        awaitReport(server, task.ref(), TaskPhase.STARTED);

        worker.close();

        assertThat(server.hasReport(task.ref(), TaskPhase.STOPPED)).isTrue();
        assertThat(server.report(task.ref(), TaskPhase.STOPPED).message()).isEqualTo("worker w-test is shutting down");
    }
}
