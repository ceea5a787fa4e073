package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.InstanceState;
import java.util.List;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** Decision 6: task attempts are keyed by (instance, task key, attempt); a late report changes nothing. */
interface TaskContract extends StoreFixture {

    @Test
    default void taskRunsFromDispatchedToSucceededAndASecondEndIsRefused() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        long id = task(fence, instanceId, "main", 1, "worker-1");

        assertThat(stores().tasks().find(id)).contains(new TaskRow(id, instanceId, appId, "main", 1,
            TaskStore.DISPATCHED, "worker-1", null, 0, fence.epoch(), 4_000L, null, null, null, null));
        assertThat(change(fence, id, 1, TaskStore.RUNNING, null, 1, 5_000)).isTrue();
        assertThat(change(fence, id, 1, TaskStore.RUNNING, null, 2, 5_100)).isFalse();
        assertThat(change(fence, id, 1, "SUCCEEDED", "42 rows", 7, 6_000)).isTrue();
        assertThat(change(fence, id, 1, "FAILED", "late", 8, 7_000)).isFalse();

        TaskRow row = stores().tasks().find(id).orElseThrow();
        assertThat(row.state()).isEqualTo("SUCCEEDED");
        assertThat(row.terminal()).isTrue();
        assertThat(row.result()).isEqualTo("42 rows");
        assertThat(row.lastReportSeq()).isEqualTo(7);
        assertThat(row.startedAt()).isEqualTo(5_000L);
        assertThat(row.finishedAt()).isEqualTo(6_000L);
    }

    @Test
    default void dispatchedTasksAreRecordedInABatchAndWrittenOnceEachByChangeAll() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        List<Long> instances = new java.util.ArrayList<>();
        List<TaskStore.NewDispatched> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long inst = instance(fence, jobId, InstanceState.DISPATCHED);
            instances.add(inst);
            batch.add(new TaskStore.NewDispatched(fence, inst, TaskStore.ROOT, 1, "w-" + (i % 3)));
        }

        List<Long> ids = db().jdbi().inTransaction(h -> stores().tasks().insertDispatched(h, batch, 4_000));

        assertThat(ids).hasSize(30).doesNotHaveDuplicates();
        java.util.Map<Long, TaskRow> rows = db().jdbi().withHandle(h -> stores().tasks().findAll(h, ids));
        for (int i = 0; i < 30; i++) {
            TaskRow t = rows.get(ids.get(i));
            assertThat(t.instanceId()).isEqualTo(instances.get(i));
            assertThat(t.workerId()).isEqualTo("w-" + (i % 3));
            assertThat(t.state()).isEqualTo(TaskStore.DISPATCHED);
            assertThat(t.dispatchedAt()).isEqualTo(4_000L);
        }
        TaskRow first = rows.get(ids.get(0));
        TaskRow second = rows.get(ids.get(1));
        java.util.Set<Long> missed = db().jdbi().inTransaction(h -> stores().tasks().changeAll(h, List.of(
            new TaskStore.StagedTask(fence, first.id(), 1, TaskStore.DISPATCHED, TaskStore.SUCCEEDED, "ok", 2, 5_000L,
                6_000L),
            // not RUNNING: moved on, named, unchanged
            new TaskStore.StagedTask(fence, second.id(), 1, TaskStore.RUNNING, "FAILED", "boom", 2, null, 6_000L),
            // another attempt: named, unchanged
            new TaskStore.StagedTask(fence, ids.get(2), 2, TaskStore.DISPATCHED, "FAILED", "boom", 2, null, 6_000L))));

        assertThat(missed).containsExactlyInAnyOrder(second.id(), ids.get(2));
        TaskRow done = stores().tasks().find(first.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(TaskStore.SUCCEEDED);
        assertThat(done.result()).isEqualTo("ok");
        assertThat(done.lastReportSeq()).isEqualTo(2);
        assertThat(done.startedAt()).isEqualTo(5_000L);
        assertThat(done.finishedAt()).isEqualTo(6_000L);
        assertThat(stores().tasks().find(second.id()).orElseThrow()).isEqualTo(second);
        assertThat(stores().tasks().find(ids.get(2)).orElseThrow().state()).isEqualTo(TaskStore.DISPATCHED);
    }

    @Test
    default void batchStepsReadAndWriteRowsByIdThroughTheIndexWhateverTheTableSize() {
        long appId = newApp();
        Fence fence = own(appId);
        long inst = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        long id = task(fence, inst, TaskStore.ROOT, 1, "w-1");

        db().jdbi().useTransaction(h -> {
            stores().instances().preferIndexes(h);
            assertThat(stores().tasks().findAll(h, List.of(id))).containsOnlyKeys(id);
            if (db().dialect() == Dialect.POSTGRESQL) {
                // a table this small would be read whole, and joined by hashing, unless told otherwise
                List<String> plan = h.createQuery("EXPLAIN UPDATE tasks t SET state = v.state"
                        + " FROM unnest(:ids, :states) AS v(id, state) WHERE t.id = v.id")
                    .bindArray("ids", Long.class, List.of(id, id + 1, id + 2))
                    .bindArray("states", String.class, List.of("RUNNING", "RUNNING", "RUNNING"))
                    .mapTo(String.class).list();
                assertThat(String.join("\n", plan)).contains("Index Scan").doesNotContain("Seq Scan on tasks");
            }
        });
    }

    @Test
    default void overdueNamesTheLiveAttemptsPastTheirJobsTimeoutAndGrace() {
        long appId = newApp();
        Fence fence = own(appId);
        long timed = newJob(appId).id();
        JobRow untimed = stores().jobs().create(untimed(appId));
        long dispatched = task(fence, instance(fence, timed, InstanceState.DISPATCHED), TaskStore.ROOT, 1, "w-1");
        long running = task(fence, instance(fence, timed, InstanceState.RUNNING), TaskStore.ROOT, 1, "w-1");
        long ended = task(fence, instance(fence, timed, InstanceState.RUNNING), TaskStore.ROOT, 1, "w-1");
        long noTimeout = task(fence, instance(fence, untimed.id(), InstanceState.DISPATCHED), TaskStore.ROOT, 1, "w-1");
        db().jdbi().useTransaction(h -> {
            stores().tasks().change(h, fence, running, 1, TaskStore.RUNNING, null, 1, 20_000);
            stores().tasks().change(h, fence, ended, 1, TaskStore.SUCCEEDED, "ok", 2, 5_000);
        });
        long otherApp = newApp();
        Fence otherFence = own(otherApp);
        task(otherFence, instance(otherFence, newJob(otherApp).id(), InstanceState.DISPATCHED), TaskStore.ROOT, 1, "w-2");

        // dispatched at 4,000 and never started: due at 4,000 + timeout 30,000 + grace 10,000
        assertThat(stores().tasks().overdue(List.of(appId), 43_999, 10_000, 10)).isEmpty();
        assertThat(stores().tasks().overdue(List.of(appId), 44_000, 10_000, 10)).extracting(TaskRow::id)
            .containsExactly(dispatched);
        // started at 20,000: counted from the start
        assertThat(stores().tasks().overdue(List.of(appId), 60_000, 10_000, 10)).extracting(TaskRow::id)
            .containsExactly(dispatched, running);
        assertThat(stores().tasks().overdue(List.of(appId), 60_000, 10_000, 1)).extracting(TaskRow::id)
            .containsExactly(dispatched);
        assertThat(stores().tasks().overdue(List.of(appId), 1_000_000, 10_000, 10)).extracting(TaskRow::id)
            .doesNotContain(ended, noTimeout).hasSize(2);
        assertThat(stores().tasks().overdue(List.of(), 1_000_000, 10_000, 10)).isEmpty();
    }

    private JobRow untimed(long appId) {
        JobRow j = jobRow(appId, unique("untimed"), true, null);
        return new JobRow(j.id(), j.appId(), j.name(), j.description(), j.enabled(), j.processor(), j.params(),
            j.scheduleType(), j.cron(), j.timeZone(), j.everyMs(), j.atMs(), j.startAt(), j.endAt(), j.misfirePolicy(),
            j.misfireBound(), j.mode(), j.maxConcurrent(), j.overlap(), j.maxRetries(), j.backoff(), j.retryDelayMs(),
            j.retryMaxDelayMs(), 0, j.nextFireAt(), j.createdAt(), j.updatedAt(), j.selection(), j.shards(),
            j.broadcast());
    }

    @Test
    default void changeAllUnderAnotherOwnersLeaseThrows() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        long inst = instance(old, jobId, InstanceState.DISPATCHED);
        long id = task(old, inst, TaskStore.ROOT, 1, "w-1");
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> db().jdbi().useTransaction(h -> stores().tasks().changeAll(h, List.of(
            new TaskStore.StagedTask(old, id, 1, TaskStore.DISPATCHED, TaskStore.SUCCEEDED, "ok", 2, null, 6_000L)))))
            .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> db().jdbi().useTransaction(h -> stores().tasks().insertDispatched(h, List.of(
            new TaskStore.NewDispatched(old, inst, "other", 1, "w-1")), 6_000)))
            .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> db().jdbi().useTransaction(h -> stores().tasks().insertDispatched(h, List.of(
            new TaskStore.NewDispatched(old, inst, "other", 1, "w-1"),
            new TaskStore.NewDispatched(old, inst, "another", 1, "w-2")), 6_000)))
            .isInstanceOf(FencedException.class);
        assertThat(stores().tasks().ofInstance(inst)).extracting(TaskRow::id).containsExactly(id);
        assertThat(stores().tasks().find(id).orElseThrow().state()).isEqualTo(TaskStore.DISPATCHED);
    }

    @Test
    default void reportForAnotherAttemptIsRefused() {
        long appId = newApp();
        Fence fence = own(appId);
        long id = task(fence, instance(fence, newJob(appId).id(), InstanceState.DISPATCHED), "main", 2, "worker-1");

        assertThat(change(fence, id, 1, TaskStore.RUNNING, null, 1, 5_000)).isFalse();
        assertThat(stores().tasks().find(id).orElseThrow().state()).isEqualTo(TaskStore.DISPATCHED);
    }

    @Test
    default void attemptIsUniquePerInstanceAndTaskKey() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        long first = task(fence, instanceId, "map-0", 1, "worker-1");

        assertThatThrownBy(() -> task(fence, instanceId, "map-0", 1, "worker-2"))
            .isInstanceOf(UnableToExecuteStatementException.class);
        long second = task(fence, instanceId, "map-0", 2, "worker-2");
        long other = task(fence, instanceId, "map-1", 1, "worker-1");

        assertThat(stores().tasks().ofInstance(instanceId)).extracting(TaskRow::id).containsExactly(first, other, second);
        assertThat(stores().tasks().find(first).orElseThrow().workerId()).isEqualTo("worker-1");
    }

    @Test
    default void liveOnWorkerListsOnlyLiveAttemptsOfThatWorkerAndApp() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long dispatched = task(fence, instanceId, "a", 1, "worker-1");
        long running = task(fence, instanceId, "b", 1, "worker-1");
        long ended = task(fence, instanceId, "c", 1, "worker-1");
        task(fence, instanceId, "d", 1, "worker-2");
        task(otherFence, instance(otherFence, newJob(otherAppId).id(), InstanceState.RUNNING), "a", 1, "worker-1");
        change(fence, running, 1, TaskStore.RUNNING, null, 1, 5_000);
        change(fence, ended, 1, TaskStore.WORKER_LOST, "gone", 1, 5_000);

        assertThat(stores().tasks().liveOnWorker(appId, "worker-1")).extracting(TaskRow::id)
            .containsExactlyInAnyOrder(dispatched, running);
        List<TaskRow> live = db().jdbi().withHandle(h -> stores().tasks().live(h, instanceId));
        assertThat(live)
            .extracting(TaskRow::taskKey).containsExactlyInAnyOrder("a", "b", "d");
    }

    private boolean change(Fence fence, long id, int attempt, String state, String result, long seq, long now) {
        return db().jdbi().inTransaction(h ->
            stores().tasks().change(h, fence, id, attempt, state, result, seq, now));
    }
}
