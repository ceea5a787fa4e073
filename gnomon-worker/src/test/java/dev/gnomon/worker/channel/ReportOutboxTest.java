package dev.gnomon.worker.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.worker.log.LogSpool;
import dev.gnomon.worker.log.SpoolSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReportOutboxTest {

    private final LogSpool spool = new LogSpool(new SpoolSettings(null, SpoolSettings.MIN_BYTES, Duration.ofHours(1)),
        Clock.systemUTC(), () -> { });
    private final ReportOutbox outbox = new ReportOutbox();
    private final Instant now = Instant.parse("2026-12-07T08:00:00Z");

    @AfterEach
    void close() {
        spool.close();
    }

    private static TaskReport report(long task, long seq, TaskPhase phase) {
        return new TaskReport(task, 1, seq, phase, null, Instant.parse("2026-12-07T08:00:00Z"));
    }

    private List<String> due(Instant at) {
        return outbox.takeDue(at, spool).stream().map(r -> r.taskId() + "/" + r.seq() + " " + r.phase()).toList();
    }

    @Test
    void anAttemptThatEndsBeforeItsStartWentOutSendsItsEndAlone() {
        outbox.add(report(7, 1, TaskPhase.STARTED), 0);
        outbox.add(report(8, 1, TaskPhase.STARTED), 0);
        outbox.add(report(7, 2, TaskPhase.SUCCEEDED), 0);

        assertThat(due(now)).containsExactly("8/1 STARTED", "7/2 SUCCEEDED");
        assertThat(outbox.size()).isEqualTo(2);
    }

    @Test
    void aStartAlreadySentStaysUntilTheServerHoldsIt() {
        outbox.add(report(7, 1, TaskPhase.STARTED), 0);
        assertThat(due(now)).containsExactly("7/1 STARTED");

        outbox.add(report(7, 2, TaskPhase.FAILED), 0);

        assertThat(due(now)).containsExactly("7/2 FAILED");
        assertThat(outbox.size()).isEqualTo(2);
        // not acknowledged: both go out again after the resend time, in order
        assertThat(due(now.plus(ReportOutbox.RESEND_AFTER))).containsExactly("7/1 STARTED", "7/2 FAILED");
        outbox.ack(new dev.gnomon.protocol.TaskRef(7, 1), 1);
        outbox.ack(new dev.gnomon.protocol.TaskRef(7, 1), 2);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aStartSentOnAChannelThatDroppedIsNotSentAgainOnceTheAttemptEnded() {
        outbox.add(report(7, 1, TaskPhase.STARTED), 0);
        assertThat(due(now)).containsExactly("7/1 STARTED");
        outbox.rewind();

        outbox.add(report(7, 2, TaskPhase.SUCCEEDED), 0);

        assertThat(due(now)).containsExactly("7/2 SUCCEEDED");
    }
}
