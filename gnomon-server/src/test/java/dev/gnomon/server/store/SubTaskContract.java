package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.InstanceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sub-tasks of map and map-reduce instances: each batch stored once under the lease, failures
 * counted on the last attempt of each key, results paged by id, the same on every database.
 */
interface SubTaskContract extends StoreFixture {

    private static List<TaskStore.NewTask> batch(long instanceId, long parentId, int from, int to) {
        List<TaskStore.NewTask> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new TaskStore.NewTask(instanceId, "part-" + parentId + "-" + i, 1, null, "item-" + i, null));
        }
        return out;
    }

    private boolean emit(Fence fence, long parentId, long seq, List<TaskStore.NewTask> batch) {
        TaskRow parent = stores().tasks().find(parentId).orElseThrow();
        return db().jdbi().inTransaction(h -> stores().tasks().subTasks().emit(h, fence, parent, seq, batch));
    }

    private boolean stored(long instanceId, String taskKey, long seq) {
        return db().jdbi().withHandle(h -> stores().tasks().subTasks().stored(h, instanceId, taskKey, seq));
    }

    private java.util.Optional<Long> someWaiting(long instanceId) {
        return db().jdbi().withHandle(h -> stores().tasks().someWaiting(h, instanceId));
    }

    private void end(Fence fence, TaskRow t, String state, String result) {
        db().jdbi().useTransaction(h -> {
            stores().tasks().assign(h, fence, t.id(), "w1", 5_000);
            stores().tasks().change(h, fence, t.id(), t.attempt(), state, result, 1, 6_000);
        });
    }

    private long modeJob(long appId, String mode) {
        return stores().jobs().create(new JobRow(0, appId, unique("job"), "a job", true, "com.example.Hello", "{}",
            "CRON", "0 * * * * ?", "Europe/Paris", null, null, null, null, "FIRE_ONCE", 10, mode, 1, "SKIP", 2,
            "EXPONENTIAL", 1_000, 60_000, 30_000, null, 1_000, 1_000, null, null, null)).id();
    }

    private void succeed(Fence fence, long taskId) {
        db().jdbi().useTransaction(h -> stores().tasks().change(h, fence, taskId, 1, "SUCCEEDED", "ok", 2, 7_000));
    }

    /** A live instance of the job whose root succeeded after mapping {@code n} sub-tasks, the first {@code ended} of them ended. */
    private long mapped(Fence fence, long jobId, int n, int ended) {
        long instanceId = instance(fence, jobId, InstanceState.RUNNING);
        long root = task(fence, instanceId, TaskStore.ROOT, 1, "w1");
        emit(fence, root, 1, batch(instanceId, root, 0, n));
        succeed(fence, root);
        List<TaskRow> waiting = stores().tasks().page(instanceId, List.of(TaskStore.WAITING), 0, n);
        for (TaskRow t : waiting.subList(0, ended)) {
            end(fence, t, "SUCCEEDED", "r");
        }
        return instanceId;
    }

    @Test
    default void theUnsettledAreLiveMapInstancesWhoseTasksAllEndedWithoutAReduceStep() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        long mapJob = modeJob(appId, "MAP");
        long reduceJob = modeJob(appId, "MAP_REDUCE");
        long allEnded = mapped(fence, mapJob, 3, 3);
        long allEndedToo = mapped(fence, reduceJob, 2, 2);
        mapped(fence, reduceJob, 2, 1);
        long reduced = mapped(fence, reduceJob, 1, 1);
        succeed(fence, task(fence, reduced, "reduce", 1, "w1"));
        long plain = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        succeed(fence, task(fence, plain, TaskStore.ROOT, 1, "w1"));
        instance(fence, mapJob, InstanceState.DISPATCHED);
        long ended = mapped(fence, mapJob, 1, 1);
        db().jdbi().useTransaction(h -> stores().instances().change(h, fence, ended,
            java.util.EnumSet.of(InstanceState.RUNNING), InstanceChange.to(InstanceState.SUCCEEDED), 8_000));
        long otherApps = mapped(otherFence, modeJob(otherAppId, "MAP"), 1, 1);

        assertThat(stores().tasks().subTasks().unsettled(java.util.Set.of(appId), 10))
            .containsExactly(allEnded, allEndedToo);
        assertThat(stores().tasks().subTasks().unsettled(java.util.Set.of(appId), 1)).containsExactly(allEnded);
        assertThat(stores().tasks().subTasks().unsettled(java.util.Set.of(appId, otherAppId), 10))
            .containsExactly(allEnded, allEndedToo, otherApps);
        assertThat(stores().tasks().subTasks().unsettled(java.util.Set.of(), 10)).isEmpty();
    }

    @Test
    default void aBatchIsStoredOnceAndOnlyWhileTheParentAttemptIsLiveAndTheLeaseHeld() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long root = task(fence, instanceId, TaskStore.ROOT, 1, "w1");

        assertThat(emit(fence, root, 1, batch(instanceId, root, 0, 500))).isTrue();
        assertThat(emit(fence, root, 1, batch(instanceId, root, 0, 500))).isFalse();
        assertThat(emit(fence, root, 2, batch(instanceId, root, 500, 700))).isTrue();
        long mapped = db().jdbi().withHandle(h -> stores().tasks().subTasks().mappedThrough(h, root));
        assertThat(mapped).isEqualTo(2);
        assertThat(stores().tasks().count(instanceId, List.of(TaskStore.WAITING))).isEqualTo(700);

        db().jdbi().useTransaction(h -> stores().tasks().change(h, fence, root, 1, "SUCCEEDED", "ok", 2, 7_000));
        assertThat(emit(fence, root, 3, batch(instanceId, root, 700, 710))).isFalse();

        long other = task(fence, instanceId, "other", 1, "w1");
        stores().leases().release(appId, SERVER_1, fence.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);
        assertThatThrownBy(() -> emit(fence, other, 1, batch(instanceId, other, 0, 5)))
            .isInstanceOf(FencedException.class);
        assertThat(stores().tasks().count(instanceId, List.of())).isEqualTo(702);
    }

    @Test
    default void aLaterAttemptOfTheTaskStoresOnlyTheBatchesNoAttemptStoredBefore() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long first = task(fence, instanceId, TaskStore.ROOT, 1, "w1");
        assertThat(emit(fence, first, 1, batch(instanceId, first, 0, 300))).isTrue();
        assertThat(emit(fence, first, 2, batch(instanceId, first, 300, 400))).isTrue();
        db().jdbi().useTransaction(h -> stores().tasks().change(h, fence, first, 1, TaskStore.WORKER_LOST, null, 2,
            7_000));

        long second = task(fence, instanceId, TaskStore.ROOT, 2, "w2");
        long named = db().jdbi().withHandle(h -> stores().tasks().subTasks().firstAttemptId(h, instanceId,
            TaskStore.ROOT));
        assertThat(named).isEqualTo(first);
        assertThat(stored(instanceId, TaskStore.ROOT, 2)).isTrue();
        assertThat(emit(fence, second, 1, batch(instanceId, first, 0, 300))).isFalse();
        assertThat(emit(fence, second, 2, batch(instanceId, first, 300, 400))).isFalse();
        assertThat(emit(fence, second, 3, batch(instanceId, first, 400, 450))).isTrue();
        assertThat(stored(instanceId, TaskStore.ROOT, 3)).isTrue();
        assertThat(stored(instanceId, "other", 1)).isFalse();
        assertThat(stores().tasks().count(instanceId, List.of(TaskStore.WAITING))).isEqualTo(450);
    }

    @Test
    default void manyWaitingTasksAreSentInOneStatementAndOnlyThoseStillWaitingCount() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long root = task(fence, instanceId, TaskStore.ROOT, 1, "w1");
        assertThat(someWaiting(instanceId)).isEmpty();
        emit(fence, root, 1, batch(instanceId, root, 0, 6));
        List<Long> ids = stores().tasks().page(instanceId, List.of(TaskStore.WAITING), 0, 10).stream()
            .map(TaskRow::id).toList();
        assertThat(someWaiting(instanceId)).get().isIn(ids);

        List<Long> first = db().jdbi().inTransaction(h -> stores().tasks().assignAll(h, fence, ids.subList(0, 2), "w1",
            8_000));
        assertThat(first).containsExactlyElementsOf(ids.subList(0, 2));
        // two of these were sent already: the other four are sent, and said so
        List<Long> rest = db().jdbi().inTransaction(h -> stores().tasks().assignAll(h, fence, ids, "w2", 9_000));
        assertThat(rest).containsExactlyInAnyOrderElementsOf(ids.subList(2, 6));
        assertThat(stores().tasks().find(ids.get(0)).orElseThrow().workerId()).isEqualTo("w1");
        assertThat(stores().tasks().find(ids.get(5)).orElseThrow()).satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskStore.DISPATCHED);
            assertThat(t.workerId()).isEqualTo("w2");
            assertThat(t.dispatchedAt()).isEqualTo(9_000L);
        });
        List<Long> none = db().jdbi().inTransaction(h -> stores().tasks().assignAll(h, fence, ids, "w2", 9_500));
        assertThat(none).isEmpty();
        assertThat(someWaiting(instanceId)).isEmpty();

        stores().leases().release(appId, SERVER_1, fence.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);
        assertThatThrownBy(() -> db().jdbi().inTransaction(h -> stores().tasks().assignAll(h, fence, ids, "w2",
            9_900))).isInstanceOf(FencedException.class);
    }

    @Test
    default void failuresCountTheLastAttemptOfEachKeyAndResultsPageByIdEachOnce() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long root = task(fence, instanceId, TaskStore.ROOT, 1, "w1");
        emit(fence, root, 1, batch(instanceId, root, 0, 2_500));
        db().jdbi().useTransaction(h -> stores().tasks().change(h, fence, root, 1, "SUCCEEDED", "mapped", 2, 7_000));
        List<TaskRow> subs = stores().tasks().page(instanceId, List.of(TaskStore.WAITING), 0, 3_000);
        for (TaskRow t : subs) {
            end(fence, t, t.params().endsWith("7") ? "FAILED" : "SUCCEEDED", "r" + t.params());
        }
        // items ending in 7 failed; part-...-7 then succeeded on attempt 2
        db().jdbi().useTransaction(h -> stores().tasks().insertWaiting(h, fence, List.of(
            new TaskStore.NewTask(instanceId, "part-" + root + "-7", 2, null, "item-7", null))));
        TaskRow retry = stores().tasks().page(instanceId, List.of(TaskStore.WAITING), 0, 10).get(0);
        end(fence, retry, "SUCCEEDED", "ritem-7");

        SubTaskStore sub = stores().tasks().subTasks();
        long failed = db().jdbi().withHandle(h -> sub.notSucceeded(h, instanceId));
        List<TaskRow> named = db().jdbi().withHandle(h -> sub.someNotSucceeded(h, instanceId, 5));
        long keys = db().jdbi().withHandle(h -> sub.keyCount(h, instanceId));
        long endingIn7 = subs.stream().filter(t -> t.params().endsWith("7")).count();
        assertThat(endingIn7).isEqualTo(250);
        assertThat(failed).isEqualTo(endingIn7 - 1);
        assertThat(named).hasSize(5).allSatisfy(t -> assertThat(t.state()).isEqualTo("FAILED"))
            .noneMatch(t -> t.taskKey().equals("part-" + root + "-7"));
        assertThat(keys).isEqualTo(2_501);

        List<String> results = new ArrayList<>();
        long cursor = 0;
        for (int page = 0; page < 10; page++) {
            List<TaskRow> rows = sub.results(instanceId, cursor, 1_000);
            if (rows.isEmpty()) {
                break;
            }
            rows.forEach(r -> results.add(r.result()));
            cursor = rows.get(rows.size() - 1).id();
        }
        assertThat(results).hasSize((int) (2_500 - endingIn7 + 1)).doesNotHaveDuplicates()
            .contains("ritem-7").doesNotContain("mapped");
    }
}
