package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Decision 7: log lines are stored once each, whatever the worker resends. */
interface LogContract extends StoreFixture {

    /** The instance and task the lines of one test belong to. */
    record Target(long instanceId, long taskId) {
    }

    private Target target() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        return new Target(instanceId, task(fence, instanceId, "main", 1, "worker-1"));
    }

    private static List<LogLine> lines(long from, long to) {
        return LongStream.rangeClosed(from, to)
            .mapToObj(seq -> new LogLine(seq, Instant.ofEpochMilli(100 + seq), LogLevel.INFO, "line " + seq)).toList();
    }

    private List<Long> seqs(Target t) {
        return stores().logs().read(t.instanceId(), 0, 1_000).stream().map(LogEntry::seq).toList();
    }

    @Test
    default void linesAreReadBackInOrderWithTheirFields() {
        Target t = target();

        long held = stores().logs().append(t.taskId(), 1, t.instanceId(), List.of(
            new LogLine(1, Instant.ofEpochMilli(1_001), LogLevel.INFO, "starting"),
            new LogLine(2, Instant.ofEpochMilli(1_002), LogLevel.WARN, "slow disk"),
            new LogLine(3, Instant.ofEpochMilli(1_003), LogLevel.ERROR, null)));

        assertThat(held).isEqualTo(3);
        assertThat(stores().logs().read(t.instanceId(), 0, 10)).containsExactly(
            new LogEntry(1, 1, Instant.ofEpochMilli(1_001), LogLevel.INFO, "starting"),
            new LogEntry(1, 2, Instant.ofEpochMilli(1_002), LogLevel.WARN, "slow disk"),
            new LogEntry(1, 3, Instant.ofEpochMilli(1_003), LogLevel.ERROR, ""));
    }

    @Test
    default void resentBatchStoresNoDuplicatesAndAnswersTheHighestHeldSeq() {
        Target t = target();
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 3));

        assertThat(stores().logs().append(t.taskId(), 1, t.instanceId(), lines(2, 5))).isEqualTo(5);
        assertThat(stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 2))).isEqualTo(5);
        assertThat(stores().logs().append(t.taskId(), 1, t.instanceId(), List.of())).isEqualTo(5);

        assertThat(seqs(t)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stores().logs().count(t.instanceId())).isEqualTo(5);
    }

    @Test
    default void linesAreOrderedByAttemptThenSeqAndPaged() {
        Target t = target();
        stores().logs().append(t.taskId(), 2, t.instanceId(), lines(1, 2));
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 3));

        assertThat(stores().logs().read(t.instanceId(), 0, 10)).extracting(LogEntry::attempt, LogEntry::seq)
            .containsExactly(tuple(1, 1L), tuple(1, 2L),
                tuple(1, 3L), tuple(2, 1L),
                tuple(2, 2L));
        assertThat(stores().logs().read(t.instanceId(), 2, 2)).extracting(LogEntry::attempt, LogEntry::seq)
            .containsExactly(tuple(1, 3L), tuple(2, 1L));
    }

    @Test
    default void unicodeAndA60KilobyteLineSurvive() {
        Target t = target();
        String unicode = "héllo wörld — 日本語のログ 🚀 Ωμέγα ñ\tafter a tab";
        String big = "é日🚀x".repeat(6_144);
        assertThat(big.getBytes(StandardCharsets.UTF_8).length).isGreaterThanOrEqualTo(60 * 1024);

        stores().logs().append(t.taskId(), 1, t.instanceId(), List.of(
            new LogLine(1, Instant.ofEpochMilli(1), LogLevel.INFO, unicode),
            new LogLine(2, Instant.ofEpochMilli(2), LogLevel.INFO, big)));

        assertThat(stores().logs().read(t.instanceId(), 0, 10)).extracting(LogEntry::text).containsExactly(unicode, big);
    }
}
