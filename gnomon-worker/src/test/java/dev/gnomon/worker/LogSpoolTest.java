package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.worker.log.LogSpool;
import dev.gnomon.worker.log.SpoolSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSpoolTest {

    private static final long SMALL = 64 * 1024;

    @TempDir
    Path dir;

    private final TaskRef first = new TaskRef(1, 1);
    private final TaskRef second = new TaskRef(2, 1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private LogSpool spool;

    private LogSpool open(long bytes) {
        spool = new LogSpool(new SpoolSettings(dir, bytes, Duration.ofHours(1)), clock, () -> { });
        return spool;
    }

    @AfterEach
    void closeSpool() {
        if (spool != null) {
            spool.close();
        }
    }

    @Test
    void whenFullTheOldestLinesOfTheOldestAttemptGiveWayToOneWarning() {
        LogSpool s = open(SMALL);
        s.open(first, 10);
        s.open(second, 20);
        // each attempt writes about 42 KB, together more than the 64 KB the spool holds
        for (int i = 1; i <= 600; i++) {
            s.append(first, LogLevel.INFO, "first " + i + " " + "x".repeat(40));
        }
        for (int i = 1; i <= 600; i++) {
            s.append(second, LogLevel.INFO, "second " + i + " " + "x".repeat(40));
        }

        assertThat(s.bytes()).isLessThanOrEqualTo(SMALL);
        List<LogBatch> batches = s.takeUnsent();
        List<LogLine> firstLines = lines(batches, first);
        List<LogLine> secondLines = lines(batches, second);
        LogLine warning = firstLines.get(0);
        assertThat(warning.level()).isEqualTo(LogLevel.WARN);
        long count = Long.parseLong(warning.text().split(" ")[0]);
        assertThat(warning.text()).isEqualTo(count + " log lines dropped (seq 1-" + warning.seq()
            + "): the worker's log spool is full (limit 65536 bytes)");
        assertThat(warning.seq()).isEqualTo(count);
        assertThat(firstLines.get(1).seq()).isEqualTo(count + 1);
        assertThat(secondLines).extracting(LogLine::seq).startsWith(1L, 2L, 3L);
        assertThat(s.droppedLines()).isEqualTo(count);
        assertThat(batches).filteredOn(b -> b.taskId() == 1).extracting(LogBatch::dropped).containsOnly(count);
    }

    @Test
    void acknowledgedLinesAreDeletedAndARewindResendsTheRest() {
        LogSpool s = open(SMALL);
        s.open(first, 10);
        for (int i = 1; i <= 10; i++) {
            s.append(first, LogLevel.INFO, "line " + i);
        }
        assertThat(lines(s.takeUnsent(), first)).hasSize(10);
        assertThat(s.takeUnsent()).isEmpty();

        s.ack(first, 4);
        s.rewind();

        assertThat(s.size()).isEqualTo(6);
        assertThat(lines(s.takeUnsent(), first)).extracting(LogLine::seq).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void linesTheServerDidNotAcknowledgeInTimeAreSentAgainOnTheSameChannel() {
        LogSpool s = open(SMALL);
        s.open(first, 10);
        s.append(first, LogLevel.INFO, "one");
        s.append(first, LogLevel.INFO, "two");
        assertThat(lines(s.takeUnsent(), first)).hasSize(2);
        s.ack(first, 1);

        clock.advance(LogSpool.RESEND_AFTER.minusSeconds(1));
        assertThat(s.takeUnsent()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(lines(s.takeUnsent(), first)).extracting(LogLine::seq).containsExactly(2L);
    }

    @Test
    void aClosedAttemptIsForgottenAndItsFilesDeletedOnceFullyAcknowledged() throws Exception {
        LogSpool s = open(SMALL);
        s.open(first, 10);
        s.append(first, LogLevel.INFO, "only");
        s.close(first);
        assertThat(s.append(first, LogLevel.INFO, "late")).isZero();
        assertThat(s.sentThrough(first, 1)).isFalse();

        s.takeUnsent();
        s.ack(first, 1);

        assertThat(s.size()).isZero();
        assertThat(s.lastSeq(first)).isZero();
        assertThat(segments()).isEmpty();
    }

    @Test
    void aReportWaitsForTheAcknowledgementOrAtMostTheReportWait() {
        LogSpool s = open(SMALL);
        s.open(first, 10);
        s.append(first, LogLevel.INFO, "one");
        s.takeUnsent();

        assertThat(s.sentThrough(first, 1)).isFalse();
        clock.advance(LogSpool.REPORT_WAIT);
        assertThat(s.sentThrough(first, 1)).isTrue();
        s.rewind();
        assertThat(s.sentThrough(first, 1)).isFalse();
        s.ack(first, 1);
        assertThat(s.sentThrough(first, 1)).isTrue();
    }

    @Test
    void linesOlderThanTheAgeLimitAreDroppedWithAWarning() {
        spool = new LogSpool(new SpoolSettings(dir, SMALL, Duration.ofMinutes(1)), clock, () -> { });
        spool.open(first, 10);
        spool.append(first, LogLevel.INFO, "old 1");
        spool.append(first, LogLevel.INFO, "old 2");
        clock.advance(Duration.ofMinutes(2));

        List<LogLine> lines = lines(spool.takeUnsent(), first);

        assertThat(lines).extracting(LogLine::seq, LogLine::text).containsExactly(org.assertj.core.groups.Tuple.tuple(
            2L, "2 log lines dropped (seq 1-2): older than the log spool's age limit (PT1M)"));
        spool.append(first, LogLevel.INFO, "new");
        assertThat(lines(spool.takeUnsent(), first)).extracting(LogLine::seq).containsExactly(3L);
    }

    @Test
    void aSpoolOpenedAgainSendsWhatTheEarlierRunLeftUnacknowledged() throws Exception {
        LogSpool s = open(SMALL);
        s.open(first, 10);
        for (int i = 1; i <= 2_500; i++) {
            s.append(first, LogLevel.INFO, "line " + i);
        }
        s.takeUnsent();
        s.ack(first, 1_000);
        s.close();

        LogSpool again = open(SMALL);
        List<LogBatch> batches = again.takeUnsent();

        assertThat(batches).allMatch(b -> b.instanceId() == 10);
        List<LogLine> resent = lines(batches, first);
        assertThat(resent.get(resent.size() - 1).text()).isEqualTo("line 2500");
        assertThat(resent).extracting(LogLine::seq).doesNotHaveDuplicates().isSorted().contains(1_001L);
        again.ack(first, 2_500);
        assertThat(again.size()).isZero();
        assertThat(segments()).isEmpty();
    }

    @Test
    void aDirectoryServesOneSpoolAtATime() {
        open(SMALL);
        assertThatThrownBy(() -> new LogSpool(new SpoolSettings(dir, SMALL, Duration.ofHours(1)), clock, () -> { }))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("is in use by another worker");
    }

    @Test
    void batchesHoldAtMostAThousandLines() {
        LogSpool s = open(10L * 1024 * 1024);
        s.open(first, 10);
        for (int i = 1; i <= 2_500; i++) {
            s.append(first, LogLevel.INFO, "line " + i);
        }

        assertThat(s.takeUnsent()).extracting(b -> b.lines().size()).containsExactly(1_000, 1_000, 500);
    }

    @Test
    void aTemporarySpoolIsDeletedOnClose() {
        LogSpool temp = new LogSpool(new SpoolSettings(null, SMALL, Duration.ofHours(1)), clock, () -> { });
        temp.open(first, 10);
        temp.append(first, LogLevel.INFO, "bye");
        Path where = temp.directory();

        temp.close();

        assertThat(where).doesNotExist();
    }

    private List<Path> segments() throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).toList();
        }
    }

    private static List<LogLine> lines(List<LogBatch> batches, TaskRef ref) {
        return batches.stream().filter(b -> b.taskId() == ref.taskId()).flatMap(b -> b.lines().stream()).toList();
    }
}
