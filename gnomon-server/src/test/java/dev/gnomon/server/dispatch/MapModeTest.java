package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.TaskResult;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Map and map-reduce on the owner: sub-tasks emitted in batches, spread, retried, and how the instance ends. */
class MapModeTest {

    private final DispatchFixture f = new DispatchFixture(11);

    @AfterEach
    void close() {
        f.close();
    }

    private JobRow job(ExecutionMode mode, RetrySpec retry) {
        return f.job(new JobRequest("modes", "mapped-" + mode, null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), mode, 1, null, retry, null, null, null, null));
    }

    private static List<String> items(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "item-" + i).toList();
    }

    private String workerOf(DispatchTask task) {
        return f.registry.sessions().stream().map(WorkerSession::workerId)
            .filter(w -> f.sent(w).contains(task)).findFirst().orElseThrow();
    }

    /** Finishes every sent task not finished yet, passing until nothing more is sent. */
    private void finishAll(List<DispatchTask> done, String first, String... more) {
        for (int round = 0; round < 100; round++) {
            f.pass();
            List<DispatchTask> todo = f.sent(first, more).stream().filter(t -> !done.contains(t)).toList();
            if (todo.isEmpty()) {
                return;
            }
            for (DispatchTask t : todo) {
                f.finish(workerOf(t), t, TaskPhase.SUCCEEDED, "done " + t.taskParams());
                done.add(t);
            }
        }
        throw new AssertionError("tasks kept coming after 100 rounds");
    }

    @Test
    void theRootEmitsBatchesOnceEachAndSubTasksSpreadAndMapAgainUntilAllSucceeded() {
        f.worker("w1", 4);
        f.worker("w2", 4);
        long id = f.run(job(ExecutionMode.MAP, null));
        f.pass();
        DispatchTask root = f.sent("w1", "w2").get(0);
        assertThat(root.taskKey()).isEqualTo("root");
        f.started(workerOf(root), root);

        assertThat(f.map(root, 1, "part", 0, items(0, 6)).accepted()).isTrue();
        assertThat(f.map(root, 2, "part", 6, items(6, 10)).accepted()).isTrue();
        // the worker did not hear the answer and sends batch 1 again
        assertThat(f.map(root, 1, "part", 0, items(0, 6)).accepted()).isTrue();
        assertThat(f.tasks.count(id, List.of())).isEqualTo(11);

        f.pass();
        List<DispatchTask> subs = f.sent("w1", "w2").stream().filter(t -> !t.taskKey().equals("root")).toList();
        // seven free slots: three beside the root, four on the other worker
        assertThat(subs).hasSize(7);
        assertThat(f.sent("w1")).hasSize(4);
        assertThat(f.sent("w2")).hasSize(4);
        assertThat(subs).allSatisfy(t -> {
            assertThat(t.taskKey()).matches("part-" + root.taskId() + "-[0-9]");
            assertThat(t.taskParams()).isEqualTo("item-" + t.taskKey().substring(t.taskKey().lastIndexOf('-') + 1));
            assertThat(t.attempt()).isEqualTo(1);
        });

        DispatchTask nested = subs.get(0);
        assertThat(f.map(nested, 1, "leaf", 0, List.of("x", "y")).accepted()).isTrue();
        List<DispatchTask> done = new ArrayList<>();
        f.finish(workerOf(root), root, TaskPhase.SUCCEEDED, "mapped");
        done.add(root);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);

        finishAll(done, "w1", "w2");

        assertThat(done).hasSize(13);
        assertThat(done).extracting(DispatchTask::taskKey).contains("leaf-" + nested.taskId() + "-0",
            "leaf-" + nested.taskId() + "-1");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).result()).isEqualTo("all 13 tasks succeeded");
        assertThat(f.tasks.countsByState(id)).containsExactly(Map.entry("SUCCEEDED", 13L));
        assertThat(f.ended).containsExactly(id);
    }

    @Test
    void aSubTaskWhoseWorkerIsLostRunsElsewhereWithItsAttemptEvenWithoutRetries() {
        f.worker("w1", 1);
        f.worker("w2", 1);
        long id = f.run(job(ExecutionMode.MAP, null));
        f.pass();
        DispatchTask root = f.sent("w1", "w2").get(0);
        String rootWorker = workerOf(root);
        String other = rootWorker.equals("w1") ? "w2" : "w1";
        f.started(rootWorker, root);
        f.map(root, 1, "part", 0, List.of("only"));
        f.pass();
        DispatchTask sub = f.sent(other).get(0);
        f.started(other, sub);
        f.finish(rootWorker, root, TaskPhase.SUCCEEDED, "mapped");

        f.disconnect(other);
        f.advance(DispatchFixture.LOST_AFTER.plusSeconds(1));
        f.sweep();
        f.pass();

        DispatchTask again = f.sent(rootWorker).get(1);
        assertThat(again.taskKey()).isEqualTo(sub.taskKey());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.taskParams()).isEqualTo("only");
        f.finish(rootWorker, again, TaskPhase.SUCCEEDED, "ok");
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.tasks.countsByState(id)).containsEntry(TaskStore.WORKER_LOST, 1L)
            .containsEntry(TaskStore.SUCCEEDED, 2L);
    }

    @Test
    void aMappingTaskReRunAfterItsWorkerIsLostStoresNoSubTaskTwiceAndTheReduceSeesEachResultOnce() {
        f.worker("w1", 1);
        long id = f.run(job(ExecutionMode.MAP_REDUCE, null));
        f.pass();
        DispatchTask root = f.sent("w1").get(0);
        f.started("w1", root);
        // the first attempt stores two batches, then its worker is lost
        assertThat(f.map(root, 1, "part", 0, items(0, 3)).accepted()).isTrue();
        assertThat(f.map(root, 2, "part", 3, items(3, 5)).accepted()).isTrue();
        f.disconnect("w1");
        f.advance(DispatchFixture.LOST_AFTER.plusSeconds(1));
        f.sweep();
        f.worker("w2", 8);
        f.pass();

        // the stored sub-tasks may run beside the re-run
        DispatchTask rerun = f.sent("w2").stream().filter(t -> t.taskKey().equals("root")).findFirst().orElseThrow();
        assertThat(rerun.attempt()).isEqualTo(2);
        assertThat(rerun.taskId()).isNotEqualTo(root.taskId());
        f.started("w2", rerun);
        // the re-run emits the same items from batch 1, then one batch more
        assertThat(f.map(rerun, 1, "part", 0, items(0, 3)).accepted()).isTrue();
        assertThat(f.map(rerun, 2, "part", 3, items(3, 5)).accepted()).isTrue();
        assertThat(f.map(rerun, 3, "part", 5, items(5, 7)).accepted()).isTrue();
        // the lost attempt's resend of a stored batch is acknowledged; a new one is refused
        assertThat(f.map(root, 2, "part", 3, items(3, 5)).accepted()).isTrue();
        assertThat(f.map(root, 4, "part", 7, items(7, 9)).refusal()).contains("can no longer emit sub-tasks");

        List<String> keys = f.tasks.ofInstance(id).stream().map(TaskRow::taskKey).filter(k -> !k.equals("root"))
            .toList();
        assertThat(keys).hasSize(7).doesNotHaveDuplicates()
            .allSatisfy(k -> assertThat(k).startsWith("part-" + root.taskId() + "-"));

        List<DispatchTask> done = new ArrayList<>();
        f.finish("w2", rerun, TaskPhase.SUCCEEDED, "mapped");
        done.add(rerun);
        for (int round = 0; round < 20 && f.sent("w2").stream().noneMatch(t -> t.kind() == TaskKind.REDUCE); round++) {
            f.pass();
            for (DispatchTask t : f.sent("w2")) {
                if (!done.contains(t) && t.kind() != TaskKind.REDUCE) {
                    f.finish("w2", t, TaskPhase.SUCCEEDED, t.taskParams());
                    done.add(t);
                }
            }
            f.pass();
        }
        DispatchTask reduce = f.sent("w2").stream().filter(t -> t.kind() == TaskKind.REDUCE).findFirst().orElseThrow();
        List<String> results = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < 10 && after >= 0; page++) {
            ResultsPage p = f.results(reduce, after, 3);
            p.results().forEach(r -> results.add(r.result()));
            after = p.next();
        }
        assertThat(results).containsExactlyInAnyOrderElementsOf(items(0, 7));
        f.finish("w2", reduce, TaskPhase.SUCCEEDED, "seen " + results.size());
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.tasks.countsByState(id)).containsOnly(Map.entry(TaskStore.WORKER_LOST, 1L),
            Map.entry(TaskStore.SUCCEEDED, 9L));
    }

    @Test
    void aFailedSubTaskIsRetriedByThePolicyThenFailsTheInstanceAndTheReduceNeverRuns() {
        f.worker("w1", 4);
        long id = f.run(job(ExecutionMode.MAP_REDUCE, new RetrySpec(1, null, java.time.Duration.ZERO, null)));
        f.pass();
        DispatchTask root = f.sent("w1").get(0);
        f.started("w1", root);
        f.map(root, 1, "part", 0, List.of("a", "b"));
        f.finish("w1", root, TaskPhase.SUCCEEDED, "mapped");
        f.pass();
        f.finish("w1", f.sent("w1").get(1), TaskPhase.SUCCEEDED, "ok");
        DispatchTask failing = f.sent("w1").get(2);
        f.finish("w1", failing, TaskPhase.FAILED, "bad input");
        f.pass();
        DispatchTask retry = f.sent("w1").get(3);
        assertThat(retry.taskKey()).isEqualTo(failing.taskKey());
        assertThat(retry.attempt()).isEqualTo(2);
        f.finish("w1", retry, TaskPhase.FAILED, "bad input again");
        f.pass();

        assertThat(f.sent("w1")).hasSize(4);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.instance(id).reason()).isEqualTo("1 of 3 tasks did not succeed: " + failing.taskKey()
            + " FAILED: bad input again; the reduce step did not run");
    }

    @Test
    void mapReduceRunsOneReduceStepAfterEveryTaskAndItsResultIsTheInstances() {
        f.worker("w1", 8);
        long id = f.run(job(ExecutionMode.MAP_REDUCE, null));
        f.pass();
        DispatchTask root = f.sent("w1").get(0);
        f.started("w1", root);
        f.map(root, 1, "part", 0, items(0, 3));
        List<DispatchTask> done = new ArrayList<>();
        f.finish("w1", root, TaskPhase.SUCCEEDED, "mapped");
        done.add(root);
        f.pass();
        for (DispatchTask t : f.sent("w1").subList(1, 4)) {
            assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
            f.finish("w1", t, TaskPhase.SUCCEEDED, "r");
            done.add(t);
        }
        f.pass();

        DispatchTask reduce = f.sent("w1").get(4);
        assertThat(reduce.taskKey()).isEqualTo("reduce");
        assertThat(reduce.kind()).isEqualTo(TaskKind.REDUCE);
        assertThat(f.map(reduce, 1, "more", 0, List.of("z")).refusal()).isEqualTo("the reduce step cannot emit sub-tasks");
        ResultsPage first = f.results(reduce, 0, 2);
        assertThat(first.refusal()).isNull();
        assertThat(first.results()).extracting(TaskResult::taskKey)
            .containsExactly("part-" + root.taskId() + "-0", "part-" + root.taskId() + "-1");
        assertThat(first.results()).allSatisfy(r -> {
            assertThat(r.result()).isEqualTo("r");
            assertThat(r.workerId()).isEqualTo("w1");
        });
        ResultsPage second = f.results(reduce, first.next(), 2);
        assertThat(second.results()).extracting(TaskResult::taskKey).containsExactly("part-" + root.taskId() + "-2");
        assertThat(second.next()).isEqualTo(-1);
        assertThat(f.results(root, 0, 10).refusal()).contains("is not a reduce step");
        f.finish("w1", reduce, TaskPhase.SUCCEEDED, "sum=3");
        f.pass();

        assertThat(f.sent("w1")).hasSize(5);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(id).result()).isEqualTo("sum=3");
        assertThat(f.results(reduce, 0, 10).refusal()).contains("can no longer read results");
    }

    @Test
    void batchesThatCannotBeStoredAreRefusedSayingWhy() {
        f.worker("w1", 4);
        long standalone = f.run(f.job(DispatchFixture.request("plain")));
        f.pass();
        DispatchTask plain = f.sent("w1").get(0);
        assertThat(f.map(plain, 1, "part", 0, List.of("a")).refusal())
            .isEqualTo("job 'plain' has mode STANDALONE; only MAP and MAP_REDUCE jobs emit sub-tasks");
        f.finish("w1", plain, TaskPhase.SUCCEEDED, "ok");
        assertThat(f.instance(standalone).state()).isEqualTo(InstanceState.SUCCEEDED);

        f.run(job(ExecutionMode.MAP, null));
        f.pass();
        DispatchTask root = f.sent("w1").get(1);
        MapAccepted reserved = f.map(root, 1, "reduce", 0, List.of("a"));
        assertThat(reserved.refusal()).startsWith("sub-task name 'reduce' is reserved");
        assertThat(f.map(root, 1, "bad-name", 0, List.of("a")).refusal()).startsWith("sub-task name 'bad-name' is not valid");
        assertThat(f.map(root, 1, "part", 0, List.of()).refusal()).isEqualTo("a batch carries 1-10000 sub-tasks;"
            + " this one has 0");
        f.finish("w1", root, TaskPhase.SUCCEEDED, "nothing to map");
        assertThat(f.map(root, 1, "part", 0, List.of("late")).refusal())
            .isEqualTo("task " + root.taskId() + " is at attempt 1 (SUCCEEDED); attempt 1 can no longer emit sub-tasks");
        assertThat(f.tasks.ofInstance(root.instanceId())).extracting(TaskRow::taskKey).containsExactly("root");
    }
}
