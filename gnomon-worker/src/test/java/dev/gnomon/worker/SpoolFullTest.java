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

    @Test
    void aFullSpoolDropsTheOldestLinesAndSaysSoInTheLog() throws Exception {
        FakeServer first = new FakeServer();
        int port = first.port();
        CountDownLatch go = new CountDownLatch(1);
        GnomonWorker worker = connectedWorker(first, b -> b.logSpoolLines(100).processor("chatty", ctx -> {
            go.await(30, TimeUnit.SECONDS);
            for (int i = 1; i <= 300; i++) {
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
        assertThat(lines.size()).isLessThanOrEqualTo(100);
        assertThat(lines.get(lines.size() - 1).text()).isEqualTo("line 300");
        assertThat(lines).noneMatch(l -> l.text().equals("line 1"));
        assertThat(lines).anyMatch(l -> l.level() == LogLevel.WARN && l.text().startsWith("dropped ")
            && l.text().contains("because the worker's log spool is full (100 lines)"));
    }
}
