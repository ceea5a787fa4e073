package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatchTest extends WorkerFixture {

    @Test
    void aJavaProcessorReportsStartedThenSucceededWithItsLogInOrder() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("hello", ctx -> {
            ctx.logger().info("hi {}", ctx.params());
            ctx.logger().warn("instance params {}", ctx.instanceParams());
            for (int i = 1; i <= 5; i++) {
                ctx.logger().debug("step {} of {}", i, 5);
            }
            return Result.success("done");
        }));
        DispatchTask task = dispatch(1, "hello", "world", 0);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        List<TaskReport> reports = server.reports(task.ref());
        assertStartedThenEnded(reports, TaskPhase.SUCCEEDED);
        assertThat(reports.get(reports.size() - 1).message()).isEqualTo("done");
        List<LogLine> lines = server.logLines(task.ref());
        assertThat(lines).extracting(LogLine::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(lines.get(0).text()).isEqualTo("hi world");
        assertThat(lines.get(0).level()).isEqualTo(LogLevel.INFO);
        assertThat(lines.get(1).text()).isEqualTo("instance params inst-1");
        assertThat(lines.get(6).text()).isEqualTo("step 5 of 5");
        assertLogsArrivedBeforeFinalReport(server, task.ref(), 7);
    }

    @Test
    void anExceptionFailsTheTaskWithItsClassAndMessage() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("boom", ctx -> {
            throw new IllegalStateException("disk is full");
        }));
        DispatchTask task = dispatch(2, "boom", null, 0);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.FAILED);
        assertThat(server.report(task.ref(), TaskPhase.FAILED).message())
            .isEqualTo("java.lang.IllegalStateException: disk is full");
    }

    @Test
    void aFailureResultFailsTheTask() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("check", ctx -> Result.failure("3 rows missing")));
        DispatchTask task = dispatch(3, "check", null, 0);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.FAILED);
        assertThat(server.report(task.ref(), TaskPhase.FAILED).message()).isEqualTo("3 rows missing");
    }

    @Test
    void unknownProcessorsAndDisabledShellAreRefusedWithAReason() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("b", ctx -> Result.success()).processor("a", ctx -> Result.success()));
        DispatchTask unknown = dispatch(4, "x", null, 0);
        DispatchTask shell = dispatch(5, "shell", "echo hi", 0);

        server.send(unknown);
        server.send(shell);

        awaitReport(server, unknown.ref(), TaskPhase.REFUSED);
        awaitReport(server, shell.ref(), TaskPhase.REFUSED);
        assertThat(server.report(unknown.ref(), TaskPhase.REFUSED).message())
            .isEqualTo("no processor named 'x' on this worker; it has: a, b");
        assertThat(server.report(shell.ref(), TaskPhase.REFUSED).message())
            .isEqualTo("processor 'shell' is not enabled on worker w-test; start the worker with --enable-shell");
    }

    @Test
    void aFullWorkerRefuses() throws Exception {
        FakeServer server = server();
        CountDownLatch release = new CountDownLatch(1);
        connectedWorker(server, b -> b.maxTasks(1).processor("wait", ctx -> {
            release.await(30, TimeUnit.SECONDS);
            return Result.success();
        }));
        DispatchTask first = dispatch(6, "wait", null, 0);
        DispatchTask second = dispatch(7, "wait", null, 0);

        server.send(first);
        awaitReport(server, first.ref(), TaskPhase.STARTED);
        server.send(second);

        awaitReport(server, second.ref(), TaskPhase.REFUSED);
        assertThat(server.report(second.ref(), TaskPhase.REFUSED).message()).startsWith("worker full");
        release.countDown();
        awaitReport(server, first.ref(), TaskPhase.SUCCEEDED);
    }

    @Test
    void aRepeatedDispatchDoesNotRunTwiceButIsAnsweredAgain() throws Exception {
        FakeServer server = server();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        connectedWorker(server, b -> b.processor("once", ctx -> {
            runs.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return Result.success("ran");
        }));
        DispatchTask task = dispatch(8, "once", null, 0);

        server.send(task);
        awaitReport(server, task.ref(), TaskPhase.STARTED);
        server.send(task);
        await().atMost(WAIT).until(() -> server.reports(task.ref()).size() == 2);
        release.countDown();
        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        int before = server.reports(task.ref()).size();
        server.send(task);

        await().atMost(WAIT).until(() -> server.reports(task.ref()).size() == before + 1);
        assertThat(runs).hasValue(1);
        assertThat(server.reports(task.ref())).extracting(TaskReport::phase)
            .containsExactly(TaskPhase.STARTED, TaskPhase.STARTED, TaskPhase.SUCCEEDED, TaskPhase.SUCCEEDED);
    }

    /**
     * The attempt's reports: its end (seq 2), after its start (seq 1) unless the attempt ended
     * before the start report went out, which then is never sent.
     */
    static void assertStartedThenEnded(List<TaskReport> reports, TaskPhase end) {
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1)).extracting(TaskReport::seq, TaskReport::phase)
            .containsExactly(2L, end);
        assertThat(reports.subList(0, reports.size() - 1)).extracting(TaskReport::seq, TaskReport::phase)
            .isSubsetOf(org.assertj.core.groups.Tuple.tuple(1L, TaskPhase.STARTED)).hasSizeLessThanOrEqualTo(1);
    }

    /** Every log line up to {@code lastSeq} was received before the terminal report. */
    static void assertLogsArrivedBeforeFinalReport(FakeServer server, TaskRef ref, long lastSeq) {
        int finalIndex = -1;
        long maxSeqBefore = 0;
        for (int i = 0; i < server.received.size(); i++) {
            var m = server.received.get(i);
            if (m instanceof TaskReport r && r.ref().equals(ref) && r.phase().terminal()) {
                finalIndex = i;
                break;
            }
            if (m instanceof dev.gnomon.protocol.LogBatch b && b.taskId() == ref.taskId()) {
                maxSeqBefore = Math.max(maxSeqBefore, b.lines().get(b.lines().size() - 1).seq());
            }
        }
        assertThat(finalIndex).isNotNegative();
        assertThat(maxSeqBefore).isEqualTo(lastSeq);
    }
}
