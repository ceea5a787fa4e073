package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReconnectTest extends WorkerFixture {

    private final CountDownLatch release = new CountDownLatch(1);

    private Result hundredLines(TaskContext ctx) throws InterruptedException {
        for (int i = 1; i <= 50; i++) {
            ctx.logger().info("line {}", i);
        }
        release.await(30, TimeUnit.SECONDS);
        for (int i = 51; i <= 100; i++) {
            ctx.logger().info("line {}", i);
        }
        return Result.success("100 lines");
    }

    @Test
    void unacknowledgedReportsAndLinesAreResentAfterADrop() throws Exception {
        FakeServer server = server();
        server.ackLogs = false;
        server.ackReports = false;
        GnomonWorker worker = connectedWorker(server, b -> b.processor("lines", this::hundredLines));
        DispatchTask task = dispatch(30, "lines", null, 0);
        server.send(task);
        await().atMost(WAIT).until(() -> server.logLines(task.ref()).size() == 50
            && server.hasReport(task.ref(), TaskPhase.STARTED));
        int before = server.received.size();

        server.dropConnection();

        await().atMost(WAIT).until(() -> server.hellos().size() == 2 && worker.isConnected());
        assertThat(server.hellos().get(1).running()).containsExactly(task.ref());
        await().atMost(WAIT).until(() -> resentAfter(server, before));
        server.ackLogs = true;
        server.ackReports = true;
        release.countDown();
        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        List<LogLine> lines = server.logLines(task.ref());
        assertThat(lines).extracting(LogLine::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(lines.get(99).text()).isEqualTo("line 100");
    }

    @Test
    void whatATaskDoesWhileNoServerIsReachableArrivesOnceOneIs() throws Exception {
        FakeServer first = new FakeServer();
        int port = first.port();
        GnomonWorker worker = connectedWorker(first, b -> b.processor("lines", this::hundredLines));
        DispatchTask task = dispatch(31, "lines", null, 0);
        first.send(task);
        await().atMost(WAIT).until(() -> first.logLines(task.ref()).size() == 50);

        first.close();
        await().atMost(WAIT).until(() -> !worker.isConnected());
        release.countDown();
        await().atMost(WAIT).until(() -> worker.runningTasks().isEmpty());
        FakeServer second = track(new FakeServer(port));

        awaitReport(second, task.ref(), TaskPhase.SUCCEEDED);
        List<LogLine> all = new java.util.ArrayList<>(first.logLines(task.ref()));
        all.addAll(second.logLines(task.ref()));
        assertThat(all.stream().map(LogLine::seq).distinct().sorted())
            .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        DispatchTest.assertLogsArrivedBeforeFinalReport(second, task.ref(), 100);
    }

    /** After the drop, the worker sent its STARTED report and the first log line again. */
    private static boolean resentAfter(FakeServer server, int index) {
        List<?> after = server.received.subList(index, server.received.size());
        boolean report = after.stream().anyMatch(m -> m instanceof TaskReport r && r.phase() == TaskPhase.STARTED);
        boolean line = after.stream().anyMatch(m -> m instanceof LogBatch b && b.lines().get(0).seq() == 1);
        return report && line;
    }
}
