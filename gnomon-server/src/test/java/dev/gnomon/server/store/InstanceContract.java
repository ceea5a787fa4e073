package dev.gnomon.server.store;

import static dev.gnomon.protocol.api.InstanceState.DISPATCHED;
import static dev.gnomon.protocol.api.InstanceState.FAILED;
import static dev.gnomon.protocol.api.InstanceState.RUNNING;
import static dev.gnomon.protocol.api.InstanceState.SUCCEEDED;
import static dev.gnomon.protocol.api.InstanceState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.InstanceState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Instance state changes, counts and queries. */
interface InstanceContract extends StoreFixture {

    @Test
    default void insertedInstanceHoldsWhatWasGiven() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        NewInstance n = new NewInstance(jobId, WAITING, "RETRY", null, "{\"k\":\"v\"}", 4, "retry of 7", 7L, 12_345);

        long id = insert(fence, n).orElseThrow();

        assertThat(stores().instances().get(id)).isEqualTo(new InstanceRow(id, appId, jobId, WAITING, "RETRY", null,
            "{\"k\":\"v\"}", 1, 4, null, null, "retry of 7", SERVER_1, fence.epoch(), 7L, 12_345, null, null, null,
            12_345));
    }

    @Test
    default void aBatchOfRunsIsRecordedInOrderWithTheirIds() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        List<NewInstance> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(new NewInstance(jobId, WAITING, "API", null, i % 7 == 0 ? null : "run " + i, 2,
                i < 200 ? null : "queued", null, 20_000 + i));
        }

        List<Long> ids = db().jdbi().inTransaction(h -> stores().instances().insertAll(h, fence, batch));

        assertThat(ids).hasSize(250).doesNotHaveDuplicates();
        for (int i = 0; i < 250; i++) {
            InstanceRow row = stores().instances().get(ids.get(i));
            assertThat(row.params()).as("params of run %d", i).isEqualTo(batch.get(i).params());
            assertThat(row.reason()).as("reason of run %d", i).isEqualTo(batch.get(i).reason());
            assertThat(row.createdAt()).isEqualTo(20_000L + i);
            assertThat(row.epoch()).isEqualTo(fence.epoch());
        }
    }

    @Test
    default void aBatchUnderAnotherOwnersLeaseThrowsAndStoresNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);
        List<NewInstance> batch = List.of(tick(jobId, null), tick(jobId, null));

        assertThatThrownBy(() -> db().jdbi().inTransaction(h -> stores().instances().insertAll(h, old, batch)))
            .isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void oneRunIsRecordedInAStatementOfItsOwnAndABatchAllOrNone() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        NewInstance one = new NewInstance(jobId, WAITING, "API", null, "alone", 3, null, null, 30_000);

        List<Long> ids = stores().instances().insertAll(fence, List.of(one));
        List<Long> batch = stores().instances().insertAll(fence, List.of(
            new NewInstance(jobId, WAITING, "API", null, "first", 3, null, null, 30_001),
            new NewInstance(jobId, WAITING, "API", null, "second", 3, null, null, 30_001)));

        assertThat(ids).hasSize(1);
        assertThat(stores().instances().get(ids.get(0))).isEqualTo(new InstanceRow(ids.get(0), appId, jobId, WAITING,
            "API", null, "alone", 1, 3, null, null, null, SERVER_1, fence.epoch(), null, 30_000, null, null, null,
            30_000));
        assertThat(batch).hasSize(2);
        assertThat(stores().instances().get(batch.get(0)).params()).isEqualTo("first");
        assertThat(stores().instances().get(batch.get(1)).params()).isEqualTo("second");
    }

    @Test
    default void oneRunUnderAnotherOwnersLeaseThrowsAndStoresNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> stores().instances().insertAll(old, List.of(tick(jobId, null))))
            .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> stores().instances().insertAll(old, List.of(tick(jobId, null), tick(jobId, null))))
            .isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void aRunForADeletedJobThrowsNotFoundAndStoresNothing() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        stores().jobs().delete(jobId);

        assertThatThrownBy(() -> stores().instances().insertAll(fence, List.of(tick(jobId, null))))
            .isInstanceOf(dev.gnomon.server.NotFoundException.class).hasMessageContaining("deleted");
        assertThatThrownBy(() -> stores().instances().insertAll(fence, List.of(tick(jobId, null), tick(jobId, null))))
            .isInstanceOf(dev.gnomon.server.NotFoundException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isZero();
    }

    @Test
    default void aBatchOverJobsOfOneAppRecordsEachOnItsJobOrNoneWhenOneJobWasDeleted() {
        long appId = newApp();
        Fence fence = own(appId);
        long kept = newJob(appId).id();
        long other = newJob(appId).id();
        long gone = newJob(appId).id();
        stores().jobs().delete(gone);

        List<Long> ids = stores().instances().insertAll(fence, List.of(
            new NewInstance(kept, WAITING, "API", null, "k", 3, null, null, 40_000),
            new NewInstance(other, WAITING, "API", null, "o", 2, null, null, 40_001)));

        assertThat(stores().instances().get(ids.get(0))).extracting(InstanceRow::jobId, InstanceRow::params,
            InstanceRow::maxAttempts, InstanceRow::createdAt).containsExactly(kept, "k", 3, 40_000L);
        assertThat(stores().instances().get(ids.get(1))).extracting(InstanceRow::jobId, InstanceRow::params,
            InstanceRow::maxAttempts, InstanceRow::createdAt).containsExactly(other, "o", 2, 40_001L);
        assertThatThrownBy(() -> stores().instances().insertAll(fence, List.of(
            new NewInstance(kept, WAITING, "API", null, "k2", 3, null, null, 40_002),
            new NewInstance(gone, WAITING, "API", null, "g", 3, null, null, 40_002),
            new NewInstance(other, WAITING, "API", null, "o2", 3, null, null, 40_002))))
            .isInstanceOf(dev.gnomon.server.NotFoundException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isEqualTo(2);
    }

    @Test
    default void changeAllAppliesEachChangeOnceAndNamesThoseThatMovedOn() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        long a = instance(fence, jobId, WAITING);
        long b = instance(fence, jobId, WAITING);
        long c = instance(fence, jobId, RUNNING);
        long d = instance(fence, jobId, DISPATCHED);

        Set<Long> missed = db().jdbi().inTransaction(h -> stores().instances().changeAll(h, List.of(
            new InstanceStore.StagedChange(fence, a, WAITING,
                InstanceChange.to(DISPATCHED).worker("w-1").startedAt(7_000L).reason(null)),
            new InstanceStore.StagedChange(fence, b, WAITING, InstanceChange.to(DISPATCHED).worker("w-2").reason(null)),
            // c is RUNNING, not WAITING: it moved on and is named
            new InstanceStore.StagedChange(fence, c, WAITING, InstanceChange.to(DISPATCHED).worker("w-3").reason(null)),
            new InstanceStore.StagedChange(fence, d, DISPATCHED, InstanceChange.to(RUNNING)
                .then(InstanceChange.to(SUCCEEDED).result("done").finishedAt(9_000L)))), 8_000));

        assertThat(missed).containsExactly(c);
        InstanceRow ra = stores().instances().get(a);
        assertThat(ra.state()).isEqualTo(DISPATCHED);
        assertThat(ra.workerId()).isEqualTo("w-1");
        assertThat(ra.startedAt()).isEqualTo(7_000L);
        assertThat(ra.updatedAt()).isEqualTo(8_000L);
        InstanceRow rb = stores().instances().get(b);
        assertThat(rb.state()).isEqualTo(DISPATCHED);
        assertThat(rb.workerId()).isEqualTo("w-2");
        assertThat(rb.startedAt()).isNull();
        assertThat(stores().instances().get(c).state()).isEqualTo(RUNNING);
        InstanceRow rd = stores().instances().get(d);
        assertThat(rd.state()).isEqualTo(SUCCEEDED);
        assertThat(rd.result()).isEqualTo("done");
        assertThat(rd.finishedAt()).isEqualTo(9_000L);
        java.util.Map<Long, InstanceRow> found = db().jdbi().withHandle(h -> stores().instances().findAll(h,
            List.of(a, b, c, d, -1L)));
        assertThat(found).containsOnlyKeys(a, b, c, d).containsEntry(a, ra);
    }

    @Test
    default void changeAllUnderAnotherOwnersLeaseThrowsAndChangesNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        long a = instance(old, jobId, WAITING);
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> db().jdbi().useTransaction(h -> stores().instances().changeAll(h, List.of(
            new InstanceStore.StagedChange(old, a, WAITING, InstanceChange.to(DISPATCHED).worker("w-1"))), 8_000)))
            .isInstanceOf(FencedException.class);
        assertThat(stores().instances().get(a).state()).isEqualTo(WAITING);
    }

    @Test
    default void changeMovesFromTheGivenStatesAndSetsItsColumns() {
        long appId = newApp();
        Fence fence = own(appId);
        long id = instance(fence, newJob(appId).id(), WAITING);

        assertThat(change(fence, id, EnumSet.of(WAITING), InstanceChange.to(DISPATCHED).worker("w-1").attempt(2)
            .nextAttemptAt(null), 10_000)).isTrue();
        assertThat(change(fence, id, EnumSet.of(WAITING), InstanceChange.to(DISPATCHED), 10_001)).isFalse();
        assertThat(change(fence, id, EnumSet.of(WAITING, DISPATCHED), InstanceChange.to(RUNNING).startedAt(10_500L),
            10_500)).isTrue();
        String longResult = "r".repeat(5_000);
        assertThat(change(fence, id, EnumSet.of(RUNNING), InstanceChange.to(SUCCEEDED).result(longResult)
            .reason("done").finishedAt(11_000L), 11_000)).isTrue();
        assertThat(change(fence, id, EnumSet.of(RUNNING), InstanceChange.to(FAILED), 12_000)).isFalse();

        InstanceRow row = stores().instances().get(id);
        assertThat(row.state()).isEqualTo(SUCCEEDED);
        assertThat(row.workerId()).isEqualTo("w-1");
        assertThat(row.attempt()).isEqualTo(2);
        assertThat(row.startedAt()).isEqualTo(10_500L);
        assertThat(row.finishedAt()).isEqualTo(11_000L);
        assertThat(row.reason()).isEqualTo("done");
        assertThat(row.result()).hasSize(4_000).startsWith("rrr").endsWith("…");
        assertThat(row.updatedAt()).isEqualTo(11_000);
        assertThat(row.nextAttemptAt()).isNull();
    }

    @Test
    default void liveAndActiveCountsFollowTheStates() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        for (InstanceState state : List.of(WAITING, WAITING, DISPATCHED, RUNNING, SUCCEEDED, FAILED)) {
            instance(fence, jobId, state);
        }
        long otherJob = newJob(appId).id();
        instance(fence, otherJob, RUNNING);

        db().jdbi().useHandle(h -> {
            assertThat(stores().instances().liveCount(h, appId, jobId)).isEqualTo(4);
            assertThat(stores().instances().activeCount(h, appId, jobId)).isEqualTo(2);
            assertThat(stores().instances().liveCount(h, appId, jobId, 3)).isEqualTo(3);
            assertThat(stores().instances().liveCount(h, appId, jobId, 10)).isEqualTo(4);
            assertThat(stores().instances().liveCount(h, appId, otherJob, 10)).isEqualTo(1);
        });
    }

    private Optional<Long> startedRun(Fence fence, NewInstance n, int maxActive) {
        return db().jdbi().inTransaction(h -> stores().instances().insertStarted(h, fence, n, "w", maxActive));
    }

    @Test
    default void aRunIsRecordedStartedOnlyWithNoneOfItsJobWaitingAndUnderTheLimit() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        long otherJob = newJob(appId).id();
        for (InstanceState state : List.of(DISPATCHED, RUNNING, SUCCEEDED, FAILED)) {
            instance(fence, jobId, state);
        }
        instance(fence, otherJob, WAITING);
        instance(fence, otherJob, RUNNING);
        NewInstance n = new NewInstance(jobId, DISPATCHED, "API", null, null, 1, null, null, 42_000);

        // two hold a slot: the limit 2 stops it, 3 lets it through; the other job's instances count for nothing
        assertThat(startedRun(fence, n, 2)).isEmpty();
        assertThat(startedRun(fence, n, 3)).isPresent();
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isEqualTo(5);

        long waiting = instance(fence, jobId, WAITING);
        assertThat(startedRun(fence, n, 100)).isEmpty();
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ? AND id > ?", jobId, waiting)).isZero();
    }

    @Test
    default void aRunRecordedStartedNamesItsWorkerAndStartTime() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        NewInstance n = new NewInstance(jobId, DISPATCHED, "API", null, "now", 3, null, null, 40_000);

        Optional<Long> started = db().jdbi().inTransaction(h -> stores().instances().insertStarted(h, fence, n,
            "worker-7", 1));
        long id = started.orElseThrow();

        assertThat(stores().instances().get(id)).isEqualTo(new InstanceRow(id, appId, jobId, DISPATCHED, "API", null,
            "now", 1, 3, "worker-7", null, null, SERVER_1, fence.epoch(), null, 40_000, 40_000L, null, null, 40_000));
    }

    @Test
    default void aRunStartedInOneStatementHoldsItsRootTaskOnItsWorkerWhereTheDatabaseAllowsIt() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        NewInstance n = new NewInstance(jobId, DISPATCHED, "API", null, "now", 3, null, null, 40_000);
        if (!stores().instances().startsInOneStatement()) {
            assertThatThrownBy(() -> db().jdbi().withHandle(h -> stores().instances().insertStartedWithRoot(h, fence,
                n, "w", 1, TaskStore.ROOT))).isInstanceOf(IllegalStateException.class);
            return;
        }

        long[] ids = db().jdbi().withHandle(h -> stores().instances().insertStartedWithRoot(h, fence, n, "worker-7", 1,
            TaskStore.ROOT)).orElseThrow();

        assertThat(stores().instances().get(ids[0])).isEqualTo(new InstanceRow(ids[0], appId, jobId, DISPATCHED, "API",
            null, "now", 1, 3, "worker-7", null, null, SERVER_1, fence.epoch(), null, 40_000, 40_000L, null, null, 40_000));
        TaskRow task = stores().tasks().find(ids[1]).orElseThrow();
        assertThat(task.instanceId()).isEqualTo(ids[0]);
        assertThat(task.taskKey()).isEqualTo(TaskStore.ROOT);
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.state()).isEqualTo(TaskStore.DISPATCHED);
        assertThat(task.workerId()).isEqualTo("worker-7");
        assertThat(task.dispatchedAt()).isEqualTo(40_000L);
        // the job's one slot is taken: the next is refused, and nothing of it stored
        Optional<long[]> refused = db().jdbi().withHandle(h -> stores().instances().insertStartedWithRoot(h, fence, n,
            "worker-7", 1, TaskStore.ROOT));
        assertThat(refused).isEmpty();
        assertThat(countRows("SELECT COUNT(*) FROM tasks WHERE app_id = ?", appId)).isEqualTo(1);

        stores().leases().release(appId, SERVER_1, fence.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);
        assertThatThrownBy(() -> db().jdbi().withHandle(h -> stores().instances().insertStartedWithRoot(h, fence, n,
            "worker-7", 100, TaskStore.ROOT))).isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isEqualTo(1);
        assertThat(countRows("SELECT COUNT(*) FROM tasks WHERE app_id = ?", appId)).isEqualTo(1);
    }

    @Test
    default void aRunRecordedStartedUnderAnotherOwnersLeaseThrowsAndStoresNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);
        NewInstance n = new NewInstance(jobId, DISPATCHED, "API", null, null, 1, null, null, 41_000);

        assertThatThrownBy(() -> db().jdbi().inTransaction(h -> stores().instances().insertStarted(h, old, n, "w", 1)))
            .isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void aCallsKeyIsRecordedWithItsInstancesOnceAJobWhicheverWayTheyAreRecorded() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        long otherJob = newJob(appId).id();
        InstanceStore instances = stores().instances();
        NewInstance single = keyed(jobId, "p", "key-1", 0);

        long first = instances.insertAll(fence, List.of(single)).get(0);
        // a batch call: one key for its three instances, in order
        List<NewInstance> batch = List.of(keyed(jobId, "a", "batch-1", 0), keyed(jobId, null, "batch-1", 1),
            keyed(jobId, "c", "batch-1", 2));
        List<Long> batchIds = db().jdbi().inTransaction(h -> instances.insertAll(h, fence, batch));
        // calls grouped in one transaction, each with its own key, and one without
        List<Long> grouped = instances.insertAll(fence, List.of(keyed(jobId, "g", "g-1", 0), tick(jobId, null),
            keyed(jobId, "g", "g-2", 0)));

        assertThat(instances.madeByCall(jobId, "key-1").orElseThrow()).extracting(InstanceRow::id).containsExactly(first);
        assertThat(instances.madeByCall(jobId, "batch-1").orElseThrow()).extracting(InstanceRow::id)
            .containsExactlyElementsOf(batchIds);
        assertThat(instances.madeByCall(jobId, "batch-1").orElseThrow()).extracting(InstanceRow::params)
            .containsExactly("a", null, "c");
        assertThat(instances.madeByCall(jobId, "g-2").orElseThrow()).extracting(InstanceRow::id).containsExactly(grouped.get(2));
        assertThat(instances.madeByCall(jobId, "none")).isEmpty();
        assertThat(instances.madeByCall(otherJob, "key-1")).isEmpty();
        // a key differing in case is another key; another job may hold the same key
        instances.insertAll(fence, List.of(keyed(jobId, "p", "KEY-1", 0)));
        long elsewhere = instances.insertAll(fence, List.of(keyed(otherJob, "p", "key-1", 0))).get(0);
        assertThat(instances.madeByCall(otherJob, "key-1").orElseThrow()).extracting(InstanceRow::id)
            .containsExactly(elsewhere);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isEqualTo(8);

        // the same key again stores nothing, alone, grouped (all or none) or in a caller's transaction
        assertThatThrownBy(() -> instances.insertAll(fence, List.of(single))).isInstanceOf(DuplicateRunException.class);
        assertThatThrownBy(() -> instances.insertAll(fence, List.of(keyed(jobId, "q", "fresh", 0), single)))
            .isInstanceOf(DuplicateRunException.class);
        assertThatThrownBy(() -> db().jdbi().inTransaction(h -> instances.insertAll(h, fence, batch)))
            .isInstanceOf(DuplicateRunException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isEqualTo(8);
        assertThat(instances.madeByCall(jobId, "fresh")).isEmpty();
    }

    @Test
    default void aRunRecordedStartedHoldsItsCallsKeyAndAKeyUsedBeforeStoresNothing() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        InstanceStore instances = stores().instances();
        NewInstance started = new NewInstance(jobId, DISPATCHED, "API", null, "p", 1, null, null, 50_002, "s-1", 0);

        long id = db().jdbi().inTransaction(h -> instances.insertStarted(h, fence, started, "w", 10)).orElseThrow();

        assertThat(instances.madeByCall(jobId, "s-1").orElseThrow()).extracting(InstanceRow::id).containsExactly(id);
        assertThatThrownBy(() -> db().jdbi().inTransaction(h -> instances.insertStarted(h, fence, started, "w", 10)))
            .isInstanceOf(DuplicateRunException.class);
        if (instances.startsInOneStatement()) {
            NewInstance withRoot = new NewInstance(jobId, DISPATCHED, "API", null, "r", 1, null, null, 50_003, "s-2",
                0);
            long[] ids = db().jdbi().withHandle(h -> instances.insertStartedWithRoot(h, fence, withRoot, "w", 10,
                TaskStore.ROOT)).orElseThrow();
            assertThat(instances.madeByCall(jobId, "s-2").orElseThrow()).extracting(InstanceRow::id).containsExactly(ids[0]);
            assertThatThrownBy(() -> db().jdbi().withHandle(h -> instances.insertStartedWithRoot(h, fence, withRoot,
                "w", 10, TaskStore.ROOT))).isInstanceOf(DuplicateRunException.class);
            assertThat(countRows("SELECT COUNT(*) FROM tasks WHERE app_id = ?", appId)).isEqualTo(1);
        }
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId))
            .isEqualTo(instances.startsInOneStatement() ? 2 : 1);
    }

    @Test
    default void deletingAJobOrItsAppDeletesItsCallsKeys() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        long kept = newJob(appId).id();
        stores().instances().insertAll(fence, List.of(keyed(jobId, null, "k", 0)));
        stores().instances().insertAll(fence, List.of(keyed(kept, null, "k", 0)));

        stores().jobs().delete(jobId);
        assertThat(countRows("SELECT COUNT(*) FROM run_keys WHERE job_id = ?", jobId)).isZero();
        assertThat(countRows("SELECT COUNT(*) FROM run_keys WHERE job_id = ?", kept)).isEqualTo(1);

        stores().apps().delete(appId);
        assertThat(countRows("SELECT COUNT(*) FROM run_keys WHERE job_id = ?", kept)).isZero();
    }

    @Test
    default void callsKeysRecordedBeforeACutAreForgottenOldestFirstAtMostALimitAtATime() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        InstanceStore instances = stores().instances();
        for (int i = 4; i >= 0; i--) {
            instances.insertAll(fence, List.of(new NewInstance(jobId, WAITING, "API", null, null, 1, null, null,
                1_000 + i, "old-" + i, 0)));
        }

        assertThat(instances.forgetRunKeys(1_003, 2)).isEqualTo(2);
        assertThat(instances.madeByCall(jobId, "old-0")).isEmpty();
        assertThat(instances.madeByCall(jobId, "old-1")).isEmpty();
        assertThat(instances.madeByCall(jobId, "old-2")).isPresent();
        assertThat(instances.forgetRunKeys(1_003, 2)).isEqualTo(1);
        assertThat(instances.forgetRunKeys(1_003, 2)).isZero();
        assertThat(instances.madeByCall(jobId, "old-3")).isPresent();
        assertThat(instances.madeByCall(jobId, "old-4")).isPresent();
        // the instances stay; a forgotten key is free for a new call
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isEqualTo(5);
        instances.insertAll(fence, List.of(keyed(jobId, null, "old-0", 0)));
        assertThat(instances.madeByCall(jobId, "old-0")).isPresent();
    }

    private static NewInstance keyed(long jobId, String params, String key, int callRow) {
        return new NewInstance(jobId, WAITING, "API", null, params, 1, null, null, 50_000 + callRow, key, callRow);
    }

    @Test
    default void listFiltersByAppJobAndStateNewestFirstWithPaging() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        long job1 = newJob(appId).id();
        long job2 = newJob(appId).id();
        long a = instance(fence, job1, WAITING);
        long b = instance(fence, job1, RUNNING);
        long c = instance(fence, job2, SUCCEEDED);
        long d = instance(fence, job1, SUCCEEDED);
        long other = instance(own(otherAppId), newJob(otherAppId).id(), WAITING);

        assertThat(ids(new InstanceQuery(appId, null, null, 0, 100))).containsExactly(d, c, b, a);
        assertThat(ids(new InstanceQuery(appId, job1, null, 0, 100))).containsExactly(d, b, a);
        assertThat(ids(new InstanceQuery(appId, null, Set.of(SUCCEEDED), 0, 100))).containsExactly(d, c);
        assertThat(ids(new InstanceQuery(null, job1, Set.of(WAITING, RUNNING), 0, 100))).containsExactly(b, a);
        assertThat(ids(new InstanceQuery(appId, null, Set.of(), 1, 2))).containsExactly(c, b);
        assertThat(ids(new InstanceQuery(null, null, null, 0, 1_000))).contains(a, other);
        assertThat(stores().instances().count(new InstanceQuery(appId, null, null, 1, 2))).isEqualTo(4);
        assertThat(stores().instances().count(new InstanceQuery(appId, job1, Set.of(SUCCEEDED), 0, 1))).isEqualTo(1);
        assertThat(stores().instances().count(new InstanceQuery(otherAppId, null, null, 0, 1))).isEqualTo(1);
        assertThat(stores().instances().count(new InstanceQuery(null, null, null, 0, 1))).isGreaterThanOrEqualTo(5);
    }

    @Test
    default void liveListsLiveInstancesOfTheGivenAppsOldestFirst() {
        long appId = newApp();
        long otherAppId = newApp();
        long ignoredAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        long a = instance(fence, newJob(appId).id(), DISPATCHED);
        instance(fence, newJob(appId).id(), SUCCEEDED);
        long b = instance(otherFence, newJob(otherAppId).id(), WAITING);
        long c = instance(fence, newJob(appId).id(), RUNNING);
        instance(own(ignoredAppId), newJob(ignoredAppId).id(), RUNNING);

        assertThat(stores().instances().live(List.of(appId, otherAppId), 100)).extracting(InstanceRow::id)
            .containsExactly(a, b, c);
        assertThat(stores().instances().live(List.of(appId, otherAppId), 2)).extracting(InstanceRow::id)
            .containsExactly(a, b);
        assertThat(stores().instances().live(List.of(), 100)).isEmpty();
    }

    @Test
    default void waitingListsDueWaitingInstancesOfTheGivenAppsOldestFirst() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        long jobId = newJob(appId).id();
        long a = instance(fence, jobId, WAITING);
        instance(fence, jobId, SUCCEEDED);
        long retried = instance(fence, jobId, WAITING);
        assertThat(change(fence, retried, EnumSet.of(WAITING), InstanceChange.to(WAITING).nextAttemptAt(9_000L), 1_000))
            .isTrue();
        long b = instance(otherFence, newJob(otherAppId).id(), WAITING);
        instance(fence, jobId, RUNNING);
        long c = instance(fence, newJob(appId).id(), WAITING);
        instance(own(newApp()), newJob(appId).id(), WAITING);

        assertThat(stores().instances().waiting(List.of(appId, otherAppId), 5_000, 10)).extracting(InstanceRow::id)
            .containsExactly(a, b, c);
        assertThat(stores().instances().waiting(List.of(appId, otherAppId), 9_000, 10)).extracting(InstanceRow::id)
            .containsExactly(a, retried, b, c);
        assertThat(stores().instances().waiting(List.of(appId, otherAppId), 9_000, 2)).extracting(InstanceRow::id)
            .containsExactly(a, retried);
        assertThat(stores().instances().waiting(List.of(), 9_000, 10)).isEmpty();
    }

    private boolean change(Fence fence, long id, EnumSet<InstanceState> from, InstanceChange change, long now) {
        return db().jdbi().inTransaction(h -> stores().instances().change(h, fence, id, from, change, now));
    }

    private List<Long> ids(InstanceQuery q) {
        return stores().instances().list(q).stream().map(InstanceRow::id).toList();
    }
}
