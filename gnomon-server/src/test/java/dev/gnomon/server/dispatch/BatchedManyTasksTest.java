package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.SubTaskStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reports on the tasks of map, map-reduce, sharding and broadcast instances applied as batches:
 * many tasks of one instance starting and ending in one batch, a task tried again within it, and
 * the instance's next step (the reduce, the post-step) or end taken once, as one report at a time
 * would take it.
 */
class BatchedManyTasksTest {

    private final DispatchFixture f = new DispatchFixture(13);

    @AfterEach
    void close() {
        f.close();
    }

    private JobRow job(String name, ExecutionMode mode, RetrySpec retry, List<String> shards, BroadcastSpec broadcast) {
        return f.job(new JobRequest("modes", name, null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), mode, 1, null, retry, null, null, shards, broadcast));
    }

    private static RetrySpec retries(int n) {
        return new RetrySpec(n, BackoffKind.FIXED, Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private String workerOf(DispatchTask task) {
        return f.sent("w1").contains(task) ? "w1" : "w2";
    }

    /** Queues a start and an end report of each task, all for one drain. */
    private void startAndEnd(List<DispatchTask> tasks, TaskPhase phase, java.util.function.Function<DispatchTask, String> message) {
        for (DispatchTask t : tasks) {
            f.queue(workerOf(t), t, 1, TaskPhase.STARTED, null);
            f.queue(workerOf(t), t, 2, phase, message.apply(t));
        }
    }

    @Test
    void mapReduceSubTasksEndingTogetherRunTheReduceOnce() {
        f.worker("w1", 60);
        f.worker("w2", 60);
        long id = f.run(job("mr", ExecutionMode.MAP_REDUCE, retries(1), null, null));
        f.pass();
        DispatchTask root = f.sent("w1", "w2").get(0);
        f.started(workerOf(root), root);
        assertThat(f.map(root, 1, "part", 0, IntStream.range(0, 80).mapToObj(i -> "i" + i).toList()).accepted())
            .isTrue();
        f.pass();
        List<DispatchTask> subs = f.sent("w1", "w2").stream().filter(t -> !t.taskKey().equals("root")).toList();
        assertThat(subs).hasSize(80);

        // the root and all 80 sub-tasks start and succeed in one batch; one success is sent twice,
        // and a late failure of an attempt that already succeeded is refused
        DispatchTask late = subs.get(17);
        f.queue(workerOf(root), root, 2, TaskPhase.SUCCEEDED, "mapped");
        startAndEnd(subs, TaskPhase.SUCCEEDED, t -> "r-" + t.taskParams());
        f.queue(workerOf(late), late, 3, TaskPhase.FAILED, "boom");
        f.queue(workerOf(subs.get(3)), subs.get(3), 2, TaskPhase.SUCCEEDED, "r-i3");
        f.drainReports();

        // the reduce waits, stored once
        assertThat(f.tasks.countsByState(id)).containsExactly(Map.entry("SUCCEEDED", 81L), Map.entry("WAITING", 1L));
        assertThat(f.tasks.ofInstance(id)).filteredOn(t -> t.state().equals(TaskStore.WAITING))
            .singleElement().satisfies(t -> assertThat(t.taskKey()).isEqualTo(SubTaskStore.REDUCE));
        assertThat(f.tasks.ofInstance(id)).filteredOn(t -> t.taskKey().startsWith("part-"))
            .allSatisfy(t -> assertThat(t.result()).isEqualTo("r-" + t.params()));
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        f.pass();
        List<DispatchTask> reduce = f.sent("w1", "w2").stream().filter(t -> t.kind() == TaskKind.REDUCE).toList();
        assertThat(reduce).singleElement().satisfies(t -> assertThat(t.taskKey()).isEqualTo(SubTaskStore.REDUCE));
        assertThat(f.ended).isEmpty();

        f.queue(workerOf(reduce.get(0)), reduce.get(0), 1, TaskPhase.STARTED, null);
        f.queue(workerOf(reduce.get(0)), reduce.get(0), 2, TaskPhase.SUCCEEDED, "sum");
        f.drainReports();
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).result()).isEqualTo("sum");
        assertThat(f.ended).containsExactly(id);
    }

    @Test
    void aSubTaskFailingInABatchIsTriedAgainAndTheReduceWaitsForIt() {
        f.worker("w1", 60);
        f.worker("w2", 60);
        long id2 = f.run(job("mr-retry-2", ExecutionMode.MAP_REDUCE, retries(1), null, null));
        f.pass();
        DispatchTask root2 = f.sent("w1", "w2").stream().filter(t -> t.instanceId() == id2).findFirst().orElseThrow();
        f.started(workerOf(root2), root2);
        f.map(root2, 1, "part", 0, IntStream.range(0, 30).mapToObj(i -> "i" + i).toList());
        f.pass();
        List<DispatchTask> subs = f.sent("w1", "w2").stream().filter(t -> t.instanceId() == id2
            && !t.taskKey().equals("root")).toList();
        assertThat(subs).hasSize(30);
        DispatchTask flaky = subs.get(11);
        List<DispatchTask> good = subs.stream().filter(t -> t != flaky).toList();
        f.queue(workerOf(root2), root2, 2, TaskPhase.SUCCEEDED, "mapped");
        startAndEnd(good, TaskPhase.SUCCEEDED, t -> "r-" + t.taskParams());
        startAndEnd(List.of(flaky), TaskPhase.FAILED, t -> "boom");
        f.drainReports();

        List<TaskRow> flakyRows = f.tasks.ofInstance(id2).stream().filter(t -> t.taskKey().equals(flaky.taskKey()))
            .toList();
        assertThat(flakyRows).extracting(TaskRow::attempt, TaskRow::state)
            .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, "FAILED"),
                org.assertj.core.groups.Tuple.tuple(2, TaskStore.WAITING));
        assertThat(f.tasks.ofInstance(id2)).noneMatch(t -> t.taskKey().equals(SubTaskStore.REDUCE));
        assertThat(f.instance(id2).state()).isEqualTo(InstanceState.RUNNING);

        f.advance(Duration.ofSeconds(2));
        f.pass();
        DispatchTask again = f.sent("w1", "w2").stream().filter(t -> t.taskKey().equals(flaky.taskKey())
            && t.attempt() == 2).findFirst().orElseThrow();
        startAndEnd(List.of(again), TaskPhase.SUCCEEDED, t -> "r-again");
        f.drainReports();
        f.pass();
        assertThat(f.sent("w1", "w2").stream().filter(t -> t.instanceId() == id2 && t.kind() == TaskKind.REDUCE))
            .hasSize(1);
    }

    @Test
    void eightShardsEndingInOneBatchEndTheInstanceOnceNamingTheFailedShard() {
        f.worker("w1", 8);
        f.worker("w2", 8);
        List<String> params = IntStream.range(0, 8).mapToObj(i -> "p" + i).toList();
        long id = f.run(job("sharded", ExecutionMode.SHARDING, null, params, null));
        f.pass();
        List<DispatchTask> shards = f.sent("w1", "w2");
        assertThat(shards).hasSize(8);
        for (DispatchTask t : shards) {
            f.queue(workerOf(t), t, 1, TaskPhase.STARTED, null);
            f.queue(workerOf(t), t, 2, t.shardIndex() == 5 ? TaskPhase.FAILED : TaskPhase.SUCCEEDED,
                t.shardIndex() == 5 ? "disk full" : "ok");
        }
        f.drainReports();

        assertThat(f.instance(id).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.instance(id).result()).isEqualTo("1 of 8 shards did not succeed: shard-5 FAILED: disk full");
        assertThat(f.ended).containsExactly(id);
    }

    @Test
    void broadcastTasksEndingInOneBatchRunThePostStepOnce() {
        f.worker("w1", 4);
        f.worker("w2", 4);
        long id = f.run(job("everywhere", ExecutionMode.BROADCAST, null, null,
            new BroadcastSpec(BroadcastRule.ALL, null, true, null)));
        f.pass();
        List<DispatchTask> tasks = f.sent("w1", "w2");
        assertThat(tasks).hasSize(2);
        startAndEnd(tasks, TaskPhase.SUCCEEDED, t -> "cleared");
        f.drainReports();
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);

        f.pass();
        List<DispatchTask> post = f.sent("w1", "w2").stream().filter(t -> t.kind() == TaskKind.POST_BROADCAST).toList();
        assertThat(post).singleElement().satisfies(t -> assertThat(t.results()).hasSize(2));
        f.queue(workerOf(post.get(0)), post.get(0), 1, TaskPhase.STARTED, null);
        f.queue(workerOf(post.get(0)), post.get(0), 2, TaskPhase.SUCCEEDED, "summed");
        f.drainReports();
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).result()).isEqualTo("summed");
        assertThat(f.ended).containsExactly(id);
    }
}
