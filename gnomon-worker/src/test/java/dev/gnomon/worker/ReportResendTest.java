package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReportResendTest extends WorkerFixture {

    private static final Instant START = Instant.parse("2030-03-30T01:00:00Z");

    @Test
    void reportsUnacknowledgedForTenSecondsAreSentAgainOnALiveChannel() throws Exception {
        FakeServer server = server();
        server.ackReports = false;
        MutableClock clock = new MutableClock(START);
        // held until its start report was sent: a task that ends first sends its end alone
        CountDownLatch release = new CountDownLatch(1);
        connectedWorker(server, b -> b.clock(clock).processor("quick", ctx -> {
            ctx.logger().info("working");
            release.await(30, TimeUnit.SECONDS);
            return Result.success("ok");
        }));
        DispatchTask task = dispatch(50, "quick", null, 0);
        server.send(task);
        awaitReport(server, task.ref(), TaskPhase.STARTED);
        release.countDown();
        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.reports(task.ref())).hasSize(2).allMatch(r -> r.at().equals(START));
        assertThat(server.logLines(task.ref())).extracting(LogLine::at).containsExactly(START);

        clock.advance(Duration.ofSeconds(9));
        server.ackReports = true;
        clock.advance(Duration.ofSeconds(2));

        await().atMost(WAIT).until(() -> server.reports(task.ref()).size() == 4);
        assertThat(server.reports(task.ref())).extracting(TaskReport::seq).containsExactly(1L, 2L, 1L, 2L);
    }
}
