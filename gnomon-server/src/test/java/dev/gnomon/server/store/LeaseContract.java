package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Decision 2: an app is owned through a lease with a fencing epoch, judged by the database's clock. */
interface LeaseContract extends StoreFixture {

    @Test
    default void databaseClockReadsEpochMillisecondsAndMovesWithinATransaction() {
        long before = db().nowMillis();

        assertThat(before).isCloseTo(System.currentTimeMillis(), offset(60_000L));
        long later = db().jdbi().inTransaction(h -> {
            long first = h.createQuery("SELECT " + db().dialect().nowMillis()).mapTo(Long.class).one();
            await().atMost(Duration.ofSeconds(5)).until(() -> db().nowMillis() > first);
            return h.createQuery("SELECT " + db().dialect().nowMillis()).mapTo(Long.class).one() - first;
        });
        assertThat(later).isPositive();
    }

    @Test
    default void freeLeaseIsTakenAtEpochOneAndExpiresByTheDatabaseClock() {
        long appId = newApp();
        long before = db().nowMillis();

        OptionalLong epoch = stores().leases().tryAcquire(appId, SERVER_1, 60_000);

        long after = db().nowMillis();
        assertThat(epoch).hasValue(1);
        LeaseStore.Lease lease = lease(appId);
        assertThat(lease.ownerId()).isEqualTo(SERVER_1);
        assertThat(lease.expiresAt()).isBetween(before + 60_000, after + 60_000);
        assertThat(stores().leases().free(SERVER_2)).doesNotContain(appId);
    }

    @Test
    default void aRestartedServerTakesItsOwnLeaseBackWithANewEpoch() {
        long appId = newApp();
        own(appId, SERVER_1, LONG_LEASE_MS);
        long before = lease(appId).epoch();

        assertThat(stores().leases().free(SERVER_1)).contains(appId);
        assertThat(stores().leases().tryAcquire(appId, SERVER_1, LONG_LEASE_MS)).hasValue(before + 1);
        assertThat(stores().leases().renew(appId, SERVER_1, before, LONG_LEASE_MS)).isFalse();
    }

    @Test
    default void heldLeaseCannotBeTakenByAnotherServer() {
        long appId = newApp();
        own(appId, SERVER_1, LONG_LEASE_MS);

        assertThat(stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS)).isEmpty();
        assertThat(lease(appId).ownerId()).isEqualTo(SERVER_1);
        assertThat(lease(appId).epoch()).isEqualTo(1);
    }

    @Test
    default void renewKeepsTheLeaseAtTheSameEpoch() {
        long appId = newApp();
        Fence fence = own(appId, SERVER_1, SHORT_LEASE_MS);

        assertThat(stores().leases().renew(appId, SERVER_1, fence.epoch(), 60_000)).isTrue();

        assertThat(lease(appId).expiresAt()).isGreaterThan(db().nowMillis() + 50_000);
        assertThat(lease(appId).epoch()).isEqualTo(1);
        assertThat(stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS)).isEmpty();
        assertThat(stores().leases().renew(appId, SERVER_2, fence.epoch(), 60_000)).isFalse();
    }

    @Test
    default void expiredLeaseGoesToAnotherServerAtTheNextEpochAndTheOldOwnerCannotRenew() {
        long appId = newApp();
        Fence old = own(appId, SERVER_1, SHORT_LEASE_MS);
        assertThat(stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS)).isEmpty();

        awaitExpiry(appId);

        assertThat(stores().leases().free(SERVER_2)).contains(appId);
        assertThat(stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS)).hasValue(2);
        assertThat(stores().leases().renew(appId, SERVER_1, old.epoch(), LONG_LEASE_MS)).isFalse();
        assertThat(lease(appId).ownerId()).isEqualTo(SERVER_2);
        assertThat(lease(appId).epoch()).isEqualTo(2);
    }

    @Test
    default void releasedLeaseIsTakenByAnotherServerAtOnce() {
        long appId = newApp();
        Fence fence = own(appId, SERVER_1, LONG_LEASE_MS);

        stores().leases().release(appId, SERVER_1, fence.epoch());

        assertThat(stores().leases().free(SERVER_2)).contains(appId);
        assertThat(stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS)).hasValue(2);
        assertThat(stores().leases().renew(appId, SERVER_1, fence.epoch(), LONG_LEASE_MS)).isFalse();
    }

    @Test
    default void onlyTheOwnerAtItsEpochCanRelease() {
        long appId = newApp();
        Fence fence = own(appId, SERVER_1, LONG_LEASE_MS);

        stores().leases().release(appId, SERVER_2, fence.epoch());
        stores().leases().release(appId, SERVER_1, fence.epoch() + 1);

        assertThat(lease(appId).ownerId()).isEqualTo(SERVER_1);
        assertThat(stores().leases().tryAcquire(appId, SERVER_2, LONG_LEASE_MS)).isEmpty();
    }
}
