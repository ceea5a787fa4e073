package dev.gnomon.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.store.JobRow;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** A job's mode, selection, shards and broadcast rule: what is refused, with which field, and what is kept. */
class JobModesTest {

    private static JobRequest req(ExecutionMode mode, WorkerSelection sel, List<String> shards, BroadcastSpec b,
                                  RetrySpec retry) {
        return new JobRequest("a", "j", null, true, "p", null, ScheduleSpec.api(), mode, null, null, retry, null, sel,
            shards, b);
    }

    private static WorkerSelection sel(SelectionStrategy s, String key) {
        return new WorkerSelection(s, key, null, null, null, null, null, null, null);
    }

    /** Asserts the request is refused for {@code field}; returns an assertion on the exception. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(JobRequest r, String field) {
        Throwable thrown = catchThrowable(() -> JobModes.check(r));
        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(((InvalidInputException) thrown).field()).isEqualTo(field);
        return assertThat(thrown);
    }

    @Test
    void mapAndMapReduceAreAcceptedWithRetriesButNotWithShardsOrBroadcastSettings() {
        assertThat(JobModes.check(req(ExecutionMode.MAP, null, null, null, null)).mode()).isEqualTo("MAP");
        assertThat(JobModes.check(req(ExecutionMode.MAP_REDUCE, sel(SelectionStrategy.ROUND_ROBIN, null), null, null,
            new RetrySpec(3, BackoffKind.FIXED, null, null))).mode()).isEqualTo("MAP_REDUCE");
        refused(req(ExecutionMode.MAP, null, List.of("a"), null, null), "shards")
            .hasMessage("shards are only for mode SHARDING; the mode is MAP");
        refused(req(ExecutionMode.MAP_REDUCE, null, null, BroadcastSpec.all(), null), "broadcast")
            .hasMessage("broadcast settings are only for mode BROADCAST; the mode is MAP_REDUCE");
    }

    @Test
    void shardingNeedsShardsAndOnlySharding() {
        refused(req(ExecutionMode.SHARDING, null, null, null, null), "shards")
            .hasMessageContaining("mode SHARDING needs shards");
        refused(req(ExecutionMode.SHARDING, null, List.of(), null, null), "shards").hasMessageContaining("got 0");
        refused(req(ExecutionMode.SHARDING, null, Collections.nCopies(JobModes.MAX_SHARDS + 1, "x"), null, null),
            "shards").hasMessageContaining("1-10000");
        refused(req(ExecutionMode.STANDALONE, null, List.of("a"), null, null), "shards")
            .hasMessage("shards are only for mode SHARDING; the mode is STANDALONE");
    }

    @Test
    void broadcastRulesNeedTheirThresholdAndBroadcastTasksAreNotRetried() {
        refused(req(ExecutionMode.BROADCAST, null, null, new BroadcastSpec(BroadcastRule.AT_LEAST, null, null, null),
            null), "broadcast.threshold").hasMessageContaining("rule AT_LEAST needs broadcast.threshold");
        refused(req(ExecutionMode.BROADCAST, null, null, new BroadcastSpec(BroadcastRule.PERCENT, 101, null, null),
            null), "broadcast.threshold").hasMessageContaining("1-100");
        refused(req(ExecutionMode.BROADCAST, null, null, new BroadcastSpec(BroadcastRule.ALL, 3, null, null), null),
            "broadcast.threshold").hasMessageContaining("only used with rule AT_LEAST or PERCENT");
        refused(req(ExecutionMode.BROADCAST, null, null, null, new RetrySpec(2, BackoffKind.FIXED, null, null)),
            "retry.maxRetries").hasMessageContaining("bound to its worker for life and is not retried");
        refused(req(ExecutionMode.STANDALONE, null, null, BroadcastSpec.all(), null), "broadcast")
            .hasMessageContaining("only for mode BROADCAST");
        refused(req(ExecutionMode.BROADCAST, null, null, new BroadcastSpec(null, null, null, "bad name!"), null),
            "broadcast.postProcessor");
    }

    @Test
    void selectionFieldsAreCheckedOneByOne() {
        refused(req(null, sel(SelectionStrategy.CONSISTENT_HASH, null), null, null, null), "selection.hashKey")
            .hasMessageContaining("CONSISTENT_HASH needs selection.hashKey");
        refused(req(null, sel(SelectionStrategy.RANDOM, "k"), null, null, null), "selection.hashKey")
            .hasMessageContaining("only used with strategy CONSISTENT_HASH");
        refused(req(null, new WorkerSelection(null, null, Set.of("no spaces"), null, null, null, null, null, null),
            null, null, null), "selection.tags").hasMessageContaining("tag 'no spaces' is not valid");
        refused(req(null, new WorkerSelection(null, null, null, null, 0, null, null, null, null), null, null, null),
            "selection.maxWorkers");
        refused(req(null, new WorkerSelection(null, null, null, null, null, 1.5, null, null, null), null, null, null),
            "selection.minFreeCpu").hasMessageContaining("from 0.0 to 1.0");
        refused(req(null, new WorkerSelection(null, null, null, null, null, null, -1L, null, null), null, null, null),
            "selection.minFreeMemoryMb");
        refused(req(null, new WorkerSelection(null, null, null, null, null, null, null, 0, null), null, null, null),
            "selection.maxTasksPerWorker");
        refused(req(null, new WorkerSelection(null, null, null, null, null, null, null, null, Duration.ofMillis(10)),
            null, null, null), "selection.workerWait").hasMessageContaining("1s to 7 days");
    }

    @Test
    void acceptedSettingsReadBackFromTheStoredJob() {
        WorkerSelection selection = new WorkerSelection(SelectionStrategy.CONSISTENT_HASH, "tenant", Set.of("gpu"),
            Set.of("w1", "w2"), 2, 0.25, 512L, 3, Duration.ofSeconds(30));
        JobRow sharded = JobSpecs.toRow(req(ExecutionMode.SHARDING, selection, List.of("a", "b"), null, null), 1, 1,
            0, 0);
        assertThat(JobModes.mode(sharded)).isEqualTo(ExecutionMode.SHARDING);
        assertThat(JobModes.selection(sharded)).isEqualTo(selection);
        assertThat(JobModes.shards(sharded)).containsExactly("a", "b");

        JobRow everywhere = JobSpecs.toRow(req(ExecutionMode.BROADCAST, null, null,
            new BroadcastSpec(BroadcastRule.PERCENT, 50, null, "summarise"), null), 1, 1, 0, 0);
        assertThat(JobModes.broadcast(everywhere))
            .isEqualTo(new BroadcastSpec(BroadcastRule.PERCENT, 50, true, "summarise"));
        assertThat(JobModes.selection(everywhere)).isEqualTo(WorkerSelection.any());
        assertThat(everywhere.selection()).isNull();
    }
}
