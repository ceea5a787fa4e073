package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.worker.log.LogSpool;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSpoolTest {

    private final TaskRef big = new TaskRef(1, 1);
    private final TaskRef small = new TaskRef(2, 1);
    private final LogSpool spool = new LogSpool(100, Clock.systemUTC(), () -> { });

    @Test
    void whenFullTheOldestLinesOfTheBiggestAttemptAreDroppedWithAWarning() {
        spool.open(big, 10);
        spool.open(small, 20);
        for (int i = 1; i <= 80; i++) {
            spool.append(big, LogLevel.INFO, "big " + i);
        }
        for (int i = 1; i <= 20; i++) {
            spool.append(small, LogLevel.INFO, "small " + i);
        }

        spool.append(small, LogLevel.INFO, "small 21");

        assertThat(spool.size()).isLessThanOrEqualTo(100);
        List<LogLine> bigLines = lines(spool.takeUnsent(), big);
        assertThat(bigLines.get(0).text()).isEqualTo("big 3");
        LogLine warning = bigLines.get(bigLines.size() - 1);
        assertThat(warning.level()).isEqualTo(LogLevel.WARN);
        assertThat(warning.seq()).isEqualTo(81);
        assertThat(warning.text()).isEqualTo("dropped 2 log lines (seq 1-2) because the worker's log spool is full "
            + "(100 lines) and the server has not acknowledged them yet");
    }

    @Test
    void acknowledgedLinesAreDroppedAndARewindResendsTheRest() {
        spool.open(big, 10);
        for (int i = 1; i <= 10; i++) {
            spool.append(big, LogLevel.INFO, "line " + i);
        }
        assertThat(lines(spool.takeUnsent(), big)).hasSize(10);
        assertThat(spool.takeUnsent()).isEmpty();

        spool.ack(big, 4);
        spool.rewind();

        assertThat(spool.size()).isEqualTo(6);
        assertThat(lines(spool.takeUnsent(), big)).extracting(LogLine::seq).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aClosedAttemptIsForgottenOnceFullyAcknowledged() {
        spool.open(big, 10);
        spool.append(big, LogLevel.INFO, "only");
        spool.close(big);
        assertThat(spool.append(big, LogLevel.INFO, "late")).isZero();
        assertThat(spool.sentThrough(big, 1)).isFalse();

        spool.takeUnsent();
        spool.ack(big, 1);

        assertThat(spool.size()).isZero();
        assertThat(spool.lastSeq(big)).isZero();
    }

    @Test
    void batchesHoldAtMostAThousandLines() {
        spool.open(big, 10);
        LogSpool roomy = new LogSpool(5_000, Clock.systemUTC(), () -> { });
        roomy.open(big, 10);
        for (int i = 1; i <= 2_500; i++) {
            roomy.append(big, LogLevel.INFO, "line " + i);
        }

        assertThat(roomy.takeUnsent()).extracting(b -> b.lines().size()).containsExactly(1_000, 1_000, 500);
    }

    private static List<LogLine> lines(List<LogBatch> batches, TaskRef ref) {
        return batches.stream().filter(b -> b.taskId() == ref.taskId()).flatMap(b -> b.lines().stream()).toList();
    }
}
