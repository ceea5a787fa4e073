package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.InstanceState;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Decision 2: a server that lost its lease can no longer change anything. A guarded write under
 * a stale fence throws {@link FencedException} and stores nothing; a change from an unexpected
 * state under a held lease is refused with false.
 */
interface FencingContract extends StoreFixture {

    /** The app's lease passed from server 1 (the returned, stale fence) to server 2. */
    private Fence lostToServer2(long appId) {
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);
        return old;
    }

    @Test
    default void instanceInsertUnderAnOldEpochThrowsAndStoresNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence stale = lostToServer2(appId);

        assertThatThrownBy(() -> insert(stale, tick(jobId, 60_000L))).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> insert(stale, tick(jobId, null))).isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void instanceInsertUnderAnExpiredLeaseThrowsAndStoresNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence fence = own(appId, SERVER_1, SHORT_LEASE_MS);
        awaitExpiry(appId);

        assertThatThrownBy(() -> insert(fence, tick(jobId, 60_000L)))
            .isInstanceOf(FencedException.class).hasMessageContaining(SERVER_1);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void leaseRunningOutDuringALongTransactionFencesItsLaterWrites() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence fence = own(appId, SERVER_1, SHORT_LEASE_MS);

        assertThatThrownBy(() -> db().jdbi().useTransaction(h -> {
            assertThat(stores().instances().insert(h, fence, tick(jobId, 60_000L))).isPresent();
            awaitExpiry(appId);
            stores().instances().insert(h, fence, tick(jobId, 120_000L));
        })).isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void fenceOfAnotherServerAtTheCurrentEpochDoesNotLand() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence held = own(appId, SERVER_1, LONG_LEASE_MS);
        Fence impostor = new Fence(appId, SERVER_2, held.epoch());

        assertThatThrownBy(() -> insert(impostor, tick(jobId, null))).isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE app_id = ?", appId)).isZero();
    }

    @Test
    default void instanceChangeUnderALostLeaseThrowsAndChangesNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence fence = own(appId, SERVER_1, SHORT_LEASE_MS);
        long id = instance(fence, jobId, InstanceState.WAITING);
        awaitExpiry(appId);

        assertThatThrownBy(() -> changeInstance(fence, id, InstanceState.WAITING, InstanceState.DISPATCHED))
            .isInstanceOf(FencedException.class);
        stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS).orElseThrow();
        assertThatThrownBy(() -> changeInstance(fence, id, InstanceState.WAITING, InstanceState.DISPATCHED))
            .isInstanceOf(FencedException.class);
        InstanceRow row = stores().instances().get(id);
        assertThat(row.state()).isEqualTo(InstanceState.WAITING);
        assertThat(row.ownerId()).as("re-homed by the takeover").isEqualTo(SERVER_2);
        assertThat(row.epoch()).isEqualTo(fence.epoch() + 1);
    }

    @Test
    default void takeoverReHomesLiveInstancesButNotEndedOnes() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence fence = own(appId, SERVER_1, SHORT_LEASE_MS);
        long live = instance(fence, jobId, InstanceState.RUNNING);
        long ended = instance(fence, jobId, InstanceState.SUCCEEDED);
        awaitExpiry(appId);

        long epoch = stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS).orElseThrow();

        assertThat(stores().instances().get(live).ownerId()).isEqualTo(SERVER_2);
        assertThat(stores().instances().get(live).epoch()).isEqualTo(epoch);
        assertThat(stores().instances().get(ended).ownerId()).isEqualTo(SERVER_1);
        assertThat(stores().instances().get(ended).epoch()).isEqualTo(fence.epoch());
    }

    @Test
    default void instanceChangeFromAnUnexpectedStateUnderAHeldLeaseIsRefused() {
        long appId = newApp();
        Fence fence = own(appId);
        long id = instance(fence, newJob(appId).id(), InstanceState.RUNNING);

        assertThat(changeInstance(fence, id, InstanceState.WAITING, InstanceState.DISPATCHED)).isFalse();
        assertThat(stores().instances().get(id).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    default void taskInsertUnderAnOldEpochThrowsAndStoresNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence fence = own(appId, SERVER_1, LONG_LEASE_MS);
        long instanceId = instance(fence, jobId, InstanceState.WAITING);
        stores().leases().release(appId, SERVER_1, fence.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> task(fence, instanceId, "main", 1, "worker-1")).isInstanceOf(FencedException.class);
        assertThat(stores().tasks().ofInstance(instanceId)).isEmpty();
    }

    @Test
    default void taskChangeUnderALostLeaseThrowsAndChangesNothing() {
        long appId = newApp();
        long jobId = newJob(appId).id();
        Fence fence = own(appId, SERVER_1, LONG_LEASE_MS);
        long taskId = task(fence, instance(fence, jobId, InstanceState.DISPATCHED), "main", 1, "worker-1");
        stores().leases().release(appId, SERVER_1, fence.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> db().jdbi().useTransaction(h ->
            stores().tasks().change(h, fence, taskId, 1, TaskStore.RUNNING, null, 1, 5_000)))
            .isInstanceOf(FencedException.class);
        TaskRow row = stores().tasks().find(taskId).orElseThrow();
        assertThat(row.state()).isEqualTo(TaskStore.DISPATCHED);
        assertThat(row.lastReportSeq()).isZero();
        assertThat(row.startedAt()).isNull();
    }

    private boolean changeInstance(Fence fence, long id, InstanceState from, InstanceState to) {
        return db().jdbi().inTransaction(h ->
            stores().instances().change(h, fence, id, EnumSet.of(from), InstanceChange.to(to), 9_000));
    }
}
