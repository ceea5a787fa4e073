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
    record Target(long instanceId, long taskId, Fence fence) {
    }

    private Target target() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        return new Target(instanceId, task(fence, instanceId, "main", 1, "worker-1"), fence);
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

    @Test
    default void downloadStreamsEveryLineInOrderAndFiltersByLevelAndSubstring() {
        Target t = target();
        stores().logs().append(t.taskId(), 1, t.instanceId(), List.of(
            new LogLine(1, Instant.ofEpochMilli(1), LogLevel.DEBUG, "connecting"),
            new LogLine(2, Instant.ofEpochMilli(2), LogLevel.WARN, "disk slow"),
            new LogLine(3, Instant.ofEpochMilli(3), LogLevel.INFO, "disk fine")));
        stores().logs().append(t.taskId(), 1, t.instanceId(), List.of(
            new LogLine(4, Instant.ofEpochMilli(4), LogLevel.ERROR, "disk full")));
        stores().logs().append(t.taskId(), 2, t.instanceId(), lines(1, 2));

        List<LogEntry> all = new java.util.ArrayList<>();
        long n = stores().logs().forEach(t.instanceId(), LogStore.Filter.ALL, all::add);
        List<LogEntry> warnings = new java.util.ArrayList<>();
        stores().logs().forEach(t.instanceId(), new LogStore.Filter(LogLevel.WARN, null), warnings::add);
        List<LogEntry> disk = new java.util.ArrayList<>();
        stores().logs().forEach(t.instanceId(), new LogStore.Filter(LogLevel.INFO, "disk"), disk::add);

        assertThat(n).isEqualTo(6);
        assertThat(all).extracting(LogEntry::attempt, LogEntry::seq)
            .containsExactly(tuple(1, 1L), tuple(1, 2L), tuple(1, 3L), tuple(1, 4L), tuple(2, 1L), tuple(2, 2L));
        assertThat(warnings).extracting(LogEntry::text).containsExactly("disk slow", "disk full");
        assertThat(disk).extracting(LogEntry::text).containsExactly("disk slow", "disk fine", "disk full");
    }

    @Test
    default void headsAndChunksAfterASeqAreWhatALiveViewerReads() {
        Target t = target();
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 3));
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(2, 6));
        LogStore.Group group = new LogStore.Group(t.taskId(), 1);

        assertThat(stores().logs().heads(t.instanceId())).containsExactly(java.util.Map.entry(group, 6L));
        List<LogStore.Chunk> after = stores().logs().after(group, 2, 10);
        assertThat(after).extracting(LogStore.Chunk::firstSeq, LogStore.Chunk::lastSeq)
            .containsExactly(tuple(1L, 3L), tuple(4L, 6L));
        assertThat(stores().logs().after(group, 3, 10)).hasSize(1);
        assertThat(stores().logs().after(group, 6, 10)).isEmpty();
    }

    @Test
    default void theHighestDroppedCountAWorkerReportedIsKept() {
        Target t = target();
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 2), 0);
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(50, 51), 47);

        assertThat(stores().logs().dropped(t.taskId(), 1)).isEqualTo(47);
        assertThat(stores().logs().dropped(t.taskId(), 2)).isZero();
    }

    @Test
    default void sweepDeletesChunksPastTheAgeThenTheOldestPastTheSizeLimit() {
        // the sweep works on every chunk of the database: start from none
        for (int i = 0; i < 100 && stores().logs().sweep(Long.MAX_VALUE, Long.MAX_VALUE, 1_000) > 0; i++) {
            assertThat(i).isLessThan(99);
        }
        Target t = target();
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 100));
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(101, 200));
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(201, 300));
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(301, 400));
        long everything = Long.MAX_VALUE;

        assertThat(stores().logs().sweep(0, everything, 100)).isZero();
        assertThat(stores().logs().count(t.instanceId())).isEqualTo(400);
        // a size limit of one byte leaves nothing; with a limit of 1 per call it takes one chunk a call, oldest first
        assertThat(stores().logs().sweep(0, 1, 1)).isEqualTo(1);
        assertThat(seqs(t).get(0)).isEqualTo(101L);
        assertThat(stores().logs().sweep(Long.MAX_VALUE, everything, 2)).isEqualTo(2);
        assertThat(seqs(t)).hasSize(100).startsWith(301L);
        assertThat(stores().logs().sweep(Long.MAX_VALUE, everything, 10)).isEqualTo(1);
        assertThat(stores().logs().count(t.instanceId())).isZero();
    }

    @Test
    default void aPageMaySpanChunks() {
        Target t = target();
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(1, 3));
        stores().logs().append(t.taskId(), 1, t.instanceId(), lines(4, 6));

        assertThat(stores().logs().read(t.instanceId(), 2, 3)).extracting(LogEntry::seq).containsExactly(3L, 4L, 5L);
        assertThat(stores().logs().read(t.instanceId(), 5, 10)).extracting(LogEntry::seq).containsExactly(6L);
        assertThat(stores().logs().read(t.instanceId(), 6, 10)).isEmpty();
    }

    @Test
    default void batchesStoredTogetherBecomeChunksOfBoundedSizeWithoutDuplicates() {
        Target t = target();
        String wide = "w".repeat(300 * 1024);
        List<LogLine> big = LongStream.rangeClosed(1, 8)
            .mapToObj(seq -> new LogLine(seq, Instant.ofEpochMilli(seq), LogLevel.INFO, wide)).toList();

        java.util.Map<LogStore.Group, Long> held = stores().logs().appendAll(List.of(
            new LogStore.Batch(t.taskId(), 1, t.instanceId(), big.subList(0, 5), 0),
            new LogStore.Batch(t.taskId(), 1, t.instanceId(), big.subList(3, 8), 0),
            new LogStore.Batch(t.taskId(), 2, t.instanceId(), lines(1, 2), 0)));

        assertThat(held).containsExactly(java.util.Map.entry(new LogStore.Group(t.taskId(), 1), 8L),
            java.util.Map.entry(new LogStore.Group(t.taskId(), 2), 2L));
        List<LogStore.Chunk> chunks = stores().logs().after(new LogStore.Group(t.taskId(), 1), 0, 100);
        assertThat(chunks).hasSizeGreaterThan(1).allMatch(c -> c.lines().size() <= 4);
        assertThat(chunks.stream().flatMap(c -> c.lines().stream()).map(LogLine::seq).toList())
            .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(stores().logs().count(t.instanceId())).isEqualTo(10);
    }

    @Test
    default void aTailOfAnEndedInstanceSendsWhatFollowsTheCursorAndEndsWithoutWaiting() {
        Target t = target();
        long instanceId = t.instanceId();
        long taskId = t.taskId();
        stores().logs().append(taskId, 1, instanceId, lines(1, 5));
        db().jdbi().useTransaction(h -> stores().instances().change(h, t.fence(), instanceId,
            java.util.EnumSet.of(InstanceState.RUNNING), InstanceChange.to(InstanceState.SUCCEEDED).finishedAt(3_000L), 3_000));
        // a grace of an hour: only an instance that ended long ago lets the tail end at once
        dev.gnomon.server.log.LogTail tail = new dev.gnomon.server.log.LogTail(stores().logs(), stores().instances(),
            java.time.Duration.ofMillis(10), java.time.Duration.ofHours(1), java.time.Clock.systemUTC(),
            System::nanoTime);
        List<Long> seen = new java.util.ArrayList<>();
        String[] position = {null};

        InstanceState end = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(20), () -> tail.follow(instanceId,
                dev.gnomon.server.log.TailCursor.parse(taskId + ":1:2"), LogStore.Filter.ALL,
                new dev.gnomon.server.log.LogTail.Sink() {
                    @Override
                    public void line(LogEntry entry, dev.gnomon.server.log.TailCursor cursor) {
                        seen.add(entry.seq());
                        position[0] = cursor.toString();
                    }

                    @Override
                    public void idle() {
                    }

                    @Override
                    public void flush() {
                    }
                }));

        assertThat(end).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(seen).containsExactly(3L, 4L, 5L);
        assertThat(position[0]).isEqualTo(taskId + ":1:5");
    }
}
