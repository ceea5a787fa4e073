package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskPhase;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpoolFullTest extends WorkerFixture {

    /** About 150 KB of lines: more than twice the spool's 64 KB. */
    private static final int LINES = 5_000;

    @Test
    void aFullSpoolDropsTheOldestLinesAndSaysSoInTheLog() throws Exception {
        FakeServer first = new FakeServer();
        int port = first.port();
        CountDownLatch go = new CountDownLatch(1);
        GnomonWorker worker = connectedWorker(first, b -> b.logSpoolSize(64 * 1024).processor("chatty", ctx -> {
            go.await(30, TimeUnit.SECONDS);
            for (int i = 1; i <= LINES; i++) {
                ctx.logger().info("line {}", i);
            }
            return Result.success();
        }));
        DispatchTask task = dispatch(40, "chatty", null, 0);
        first.send(task);
        awaitReport(first, task.ref(), TaskPhase.STARTED);
        first.close();
        await().atMost(WAIT).until(() -> !worker.isConnected());

        go.countDown();
        await().atMost(WAIT).until(() -> worker.runningTasks().isEmpty());
        FakeServer second = track(new FakeServer(port));

        awaitReport(second, task.ref(), TaskPhase.SUCCEEDED);
        List<LogLine> lines = second.logLines(task.ref());
        List<LogLine> markers = lines.stream().filter(l -> l.text().contains("log lines dropped")).toList();
        assertThat(lines.get(lines.size() - 1).text()).isEqualTo("line " + LINES);
        assertThat(lines).noneMatch(l -> l.text().equals("line 1"));
        assertThat(markers).isNotEmpty().allMatch(l -> l.level() == LogLevel.WARN
            && l.text().endsWith("the worker's log spool is full (limit 65536 bytes)"));
        long dropped = markers.stream().mapToLong(l -> Long.parseLong(l.text().split(" ")[0])).sum();
        assertThat(lines.size() - markers.size() + dropped).isEqualTo(LINES);
        assertThat(worker.droppedLogLines()).isEqualTo(dropped);
        assertThat(second.of(dev.gnomon.protocol.LogBatch.class)).extracting(dev.gnomon.protocol.LogBatch::dropped)
            .contains(dropped);
    }
}
