package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskResult;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sharding and broadcast on the owner: the tasks made, where they went, and how the instance ends. */
class ExecutionModesTest {

    private final DispatchFixture f = new DispatchFixture(7);

    @AfterEach
    void close() {
        f.close();
    }

    private JobRow sharded(List<String> shards, RetrySpec retry, WorkerSelection selection) {
        return f.job(new JobRequest("modes", "sharded", null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), ExecutionMode.SHARDING, 1, null, retry, null, selection, shards, null));
    }

    private JobRow broadcast(BroadcastSpec spec) {
        return f.job(new JobRequest("modes", "everywhere", null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), ExecutionMode.BROADCAST, 1, null, null, null, null, null, spec));
    }

    @Test
    void eightShardsSpreadOverThreeWorkersEachSeeingItsIndexCountAndParameter() {
        f.worker("w1", 8);
        f.worker("w2", 8);
        f.worker("w3", 8);
        List<String> params = IntStream.range(0, 8).mapToObj(i -> "part-" + i).toList();
        long id = f.run(sharded(params, null, WorkerSelection.of(SelectionStrategy.ROUND_ROBIN)));

        f.pass();

        List<DispatchTask> sent = f.sent("w1", "w2", "w3");
        assertThat(sent).hasSize(8);
        assertThat(sent).extracting(DispatchTask::shardIndex).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(sent).allSatisfy(t -> {
            assertThat(t.shardCount()).isEqualTo(8);
            assertThat(t.taskKey()).isEqualTo("shard-" + t.shardIndex());
            assertThat(t.taskParams()).isEqualTo("part-" + t.shardIndex());
            assertThat(t.jobParams()).isEqualTo("job-params");
            assertThat(t.kind()).isEqualTo(TaskKind.PROCESS);
        });
        assertThat(f.sent("w1")).hasSize(3);
        assertThat(f.sent("w2")).hasSize(3);
        assertThat(f.sent("w3")).hasSize(2);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.DISPATCHED);

        for (String w : List.of("w1", "w2", "w3")) {
            for (DispatchTask t : f.sent(w)) {
                f.finish(w, t, TaskPhase.SUCCEEDED, "did " + t.taskParams());
            }
        }
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).result()).isEqualTo("all 8 shards succeeded");
        assertThat(f.tasks.countsByState(id)).containsExactly(java.util.Map.entry("SUCCEEDED", 8L));
    }

    @Test
    void shardsWaitForFreeSlotsAndAFailedShardIsRetriedAloneWithItsAttemptNumber() {
        f.worker("w1", 1);
        f.worker("w2", 1);
        long id = f.run(sharded(List.of("a", "b", "c"), new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(5),
            Duration.ofSeconds(5)), null));
        f.pass();
        assertThat(f.sent("w1", "w2")).hasSize(2);

        DispatchTask first = f.sent("w1").get(0);
        f.finish("w1", first, TaskPhase.FAILED, "boom");
        f.pass();
        // the third shard took the freed slot; the retry waits for its backoff
        assertThat(f.sent("w1", "w2")).hasSize(3);
        assertThat(f.sent("w1").get(1).taskKey()).isNotEqualTo(first.taskKey());

        f.advance(Duration.ofSeconds(6));
        f.finish("w1", f.sent("w1").get(1), TaskPhase.SUCCEEDED, "ok");
        f.pass();
        DispatchTask retry = f.sent("w1").get(2);
        assertThat(retry.taskKey()).isEqualTo(first.taskKey());
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.taskParams()).isEqualTo(first.taskParams());

        f.finish("w2", f.sent("w2").get(0), TaskPhase.SUCCEEDED, "ok");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        f.finish("w1", retry, TaskPhase.SUCCEEDED, "ok at last");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.tasks.countsByState(id)).containsEntry("FAILED", 1L).containsEntry("SUCCEEDED", 3L);
    }

    @Test
    void passesForEventsReadWaitingTasksFromWhereTheLastLeftThemAndAFullPassFindsARetryBehind() {
        f.worker("w1", 1);
        RetrySpec later = new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(5), Duration.ofSeconds(5));
        long first = f.run(sharded(List.of("a"), later, null));
        f.pass();
        DispatchTask a = f.sent("w1").get(0);
        f.finish("w1", a, TaskPhase.FAILED, "boom");
        // the retry of shard a waits 5 s; the shards of a second instance come after it
        long second = f.run(f.job(new JobRequest("modes", "later-shards", null, true, DispatchFixture.PROCESSOR, null,
            ScheduleSpec.api(), ExecutionMode.SHARDING, 1, null, null, null, null, List.of("x", "y"), null)));
        f.eventPass();
        DispatchTask x = f.sent("w1").get(1);
        assertThat(x.instanceId()).isEqualTo(second);
        f.finish("w1", x, TaskPhase.SUCCEEDED, "ok");
        f.eventPass();
        DispatchTask y = f.sent("w1").get(2);
        assertThat(y.instanceId()).isEqualTo(second);

        f.advance(Duration.ofSeconds(6));
        f.finish("w1", y, TaskPhase.SUCCEEDED, "ok");
        f.eventPass();
        assertThat(f.sent("w1")).as("an event's pass starts past the retry, which was not due when passes went by")
            .hasSize(3);

        f.pass();
        assertThat(f.sent("w1")).hasSize(4);
        DispatchTask retry = f.sent("w1").get(3);
        assertThat(retry.instanceId()).isEqualTo(first);
        assertThat(retry.taskKey()).isEqualTo(a.taskKey());
        assertThat(retry.attempt()).isEqualTo(2);
        f.finish("w1", retry, TaskPhase.SUCCEEDED, "ok at last");
        assertThat(f.instance(first).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(second).state()).isEqualTo(InstanceState.SUCCEEDED);
    }

    @Test
    void aWaitingTaskAnEventsPassLeftBehindIsSentByTheNextOne() {
        f.worker("w1", 1);
        long id = f.run(sharded(List.of("a", "b", "c"), null, null));
        f.eventPass();
        for (int i = 1; i <= 3; i++) {
            assertThat(f.sent("w1")).hasSize(i);
            f.finish("w1", f.sent("w1").get(i - 1), TaskPhase.SUCCEEDED, "ok");
            f.eventPass();
        }
        assertThat(f.sent("w1")).extracting(DispatchTask::shardIndex).containsExactly(0, 1, 2);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
    }

    @Test
    void aShardThatFailsEveryAttemptFailsTheInstanceNamingIt() {
        f.worker("w1", 4);
        long id = f.run(sharded(List.of("a", "b"), null, null));
        f.pass();
        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "ok");
        f.finish("w1", f.sent("w1").get(1), TaskPhase.FAILED, "disk full");

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.instance(id).reason()).isEqualTo("1 of 2 shards did not succeed: shard-1 FAILED: disk full");
    }

    @Test
    void aShardAWorkerRefusedIsSentAgainWithoutUsingUpItsRetries() {
        f.worker("w1", 4);
        long id = f.run(sharded(List.of("a", "b"), null, null));
        f.pass();
        DispatchTask refused = f.sent("w1").get(1);
        f.refuse("w1", refused, "worker full: w1 already runs 4 of 4 tasks");
        f.pass();
        assertThat(f.sent("w1")).as("nothing is sent again before the pause").hasSize(2);

        f.advance(Duration.ofMillis(TaskOutcomes.REFUSED_PAUSE_MS + 1));
        f.pass();

        DispatchTask again = f.sent("w1").get(2);
        assertThat(again.taskKey()).isEqualTo(refused.taskKey());
        assertThat(again.attempt()).isEqualTo(2);
        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "ok");
        f.finish("w1", again, TaskPhase.SUCCEEDED, "ok");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.tasks.countsByState(id)).containsEntry("REFUSED", 1L).containsEntry("SUCCEEDED", 2L);
    }

    @Test
    void aShardWhoseWorkerIsLostRunsAgainOnAnotherWorker() {
        f.worker("w1", 4);
        f.worker("w2", 4);
        long id = f.run(sharded(List.of("a", "b"), new RetrySpec(2, BackoffKind.FIXED, Duration.ZERO, Duration.ZERO),
            WorkerSelection.of(SelectionStrategy.ROUND_ROBIN)));
        f.pass();
        DispatchTask onW1 = f.sent("w1").get(0);
        f.started("w1", onW1);

        f.disconnect("w1");
        f.advance(DispatchFixture.LOST_AFTER.plusSeconds(1));
        f.sweep();
        f.pass();

        DispatchTask again = f.sent("w2").stream().filter(t -> t.taskKey().equals(onW1.taskKey())).findFirst()
            .orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        f.finish("w2", f.sent("w2").get(0), TaskPhase.SUCCEEDED, "ok");
        f.finish("w2", again, TaskPhase.SUCCEEDED, "ok");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.tasks.countsByState(id)).containsEntry(TaskStore.WORKER_LOST, 1L);
    }

    @Test
    void broadcastMakesOneTaskPerWorkerAndALostWorkersTaskIsNeverGivenToAnother() {
        f.worker("w1", 4);
        f.worker("w2", 4);
        f.worker("w3", 4);
        long id = f.run(broadcast(new BroadcastSpec(BroadcastRule.AT_LEAST, 2, null, null)));
        f.pass();
        for (String w : List.of("w1", "w2", "w3")) {
            assertThat(f.sent(w)).hasSize(1);
            assertThat(f.sent(w).get(0).taskKey()).isEqualTo("worker-" + w);
            f.started(w, f.sent(w).get(0));
        }

        f.disconnect("w2");
        f.advance(DispatchFixture.LOST_AFTER.plusSeconds(1));
        f.sweep();
        f.pass();
        assertThat(f.sent("w1")).hasSize(1);
        assertThat(f.sent("w3")).hasSize(1);

        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "cleared");
        f.finish("w3", f.sent("w3").get(0), TaskPhase.SUCCEEDED, "cleared");

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).reason()).startsWith("2 of 3 workers succeeded (rule AT_LEAST 2)")
            .contains("worker-w2 WORKER_LOST");
        List<TaskRow> rows = f.tasks.ofInstance(id);
        assertThat(rows).hasSize(3);
        assertThat(rows).filteredOn(t -> t.workerId().equals("w2")).singleElement()
            .extracting(TaskRow::state).isEqualTo(TaskStore.WORKER_LOST);
    }

    @Test
    void broadcastWithRuleAllFailsWhenOneWorkerFails() {
        f.worker("w1", 4);
        f.worker("w2", 4);
        long id = f.run(broadcast(null));
        f.pass();
        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "ok");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        f.finish("w2", f.sent("w2").get(0), TaskPhase.FAILED, "no space");

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.instance(id).reason()).isEqualTo("1 of 2 workers succeeded (rule ALL); worker-w2 FAILED: no space");
    }

    @Test
    void broadcastPercentRuleAndPostStepThatSeesEveryResult() {
        f.worker("w1", 4);
        f.worker("w2", 4);
        f.worker("w3", 4);
        f.worker("w4", 4);
        long id = f.run(broadcast(new BroadcastSpec(BroadcastRule.PERCENT, 75, true, "post")));
        f.pass();
        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "r1");
        f.finish("w2", f.sent("w2").get(0), TaskPhase.SUCCEEDED, "r2");
        f.finish("w3", f.sent("w3").get(0), TaskPhase.FAILED, "r3");
        f.finish("w4", f.sent("w4").get(0), TaskPhase.SUCCEEDED, "r4");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);

        f.pass();
        List<DispatchTask> posts = f.sent("w1", "w2", "w3", "w4").stream()
            .filter(t -> t.kind() == TaskKind.POST_BROADCAST).toList();
        assertThat(posts).singleElement().satisfies(p -> {
            assertThat(p.processor()).isEqualTo("post");
            assertThat(p.taskKey()).isEqualTo("post");
            assertThat(p.results()).extracting(TaskResult::taskKey, TaskResult::state, TaskResult::result)
                .containsExactly(
                    org.assertj.core.groups.Tuple.tuple("worker-w1", "SUCCEEDED", "r1"),
                    org.assertj.core.groups.Tuple.tuple("worker-w2", "SUCCEEDED", "r2"),
                    org.assertj.core.groups.Tuple.tuple("worker-w3", "FAILED", "r3"),
                    org.assertj.core.groups.Tuple.tuple("worker-w4", "SUCCEEDED", "r4"));
        });
        DispatchTask post = posts.get(0);
        String postWorker = List.of("w1", "w2", "w3", "w4").stream().filter(w -> f.sent(w).contains(post))
            .findFirst().orElseThrow();
        f.finish(postWorker, post, TaskPhase.SUCCEEDED, "summary: 3 of 4");

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).result()).isEqualTo("summary: 3 of 4");
    }

    @Test
    void shardsNoWorkerMayTakeAnyMoreWaitWithTheReasonThenFail() {
        f.worker("w1", 1);
        long id = f.run(sharded(List.of("a", "b"), null, new WorkerSelection(null, null, null, null, null, null,
            null, null, Duration.ofSeconds(30))));
        f.pass();
        f.started("w1", f.sent("w1").get(0));
        f.disconnect("w1");
        f.advance(DispatchFixture.LOST_AFTER.plusSeconds(1));
        f.sweep();
        f.pass();
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(f.instance(id).reason()).isEqualTo("shard-1: waiting for a worker that offers processor 'p':"
            + " none of this app is connected");

        f.advance(Duration.ofSeconds(31));
        f.pass();

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.instance(id).reason()).contains("2 of 2 shards did not succeed")
            .contains("shard-0 WORKER_LOST").contains("shard-1 FAILED: shard-1: waiting for a worker")
            .contains("for 30 s (the job's selection.workerWait)");
        assertThat(f.ended).containsExactly(id);
    }

    @Test
    void stoppingAShardedInstanceEndsItsWaitingTasks() {
        f.worker("w1", 1);
        long id = f.run(sharded(List.of("a", "b", "c"), null, null));
        f.pass();
        assertThat(f.tasks.countsByState(id)).containsEntry("WAITING", 2L).containsEntry("DISPATCHED", 1L);

        f.stop(id);

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(f.tasks.countsByState(id)).containsExactly(java.util.Map.entry("STOPPED", 3L));
        f.pass();
        assertThat(f.sent("w1")).hasSize(1);
    }
}
