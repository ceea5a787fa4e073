package dev.gnomon.server.store;

import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.api.InstanceState;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** What every part of the store contract works with: the stores on one database, and helpers. */
interface StoreFixture {

    /** Long enough that a lease never runs out during a test that does not want it to. */
    long LONG_LEASE_MS = 600_000;
    /** Short enough to wait out on the database's clock. */
    long SHORT_LEASE_MS = 200;
    String SERVER_1 = "server-1";
    String SERVER_2 = "server-2";
    AtomicLong NAMES = new AtomicLong();

    /** The stores of one test class, all on the same database. */
    record Stores(Database db, AppStore apps, LeaseStore leases, JobStore jobs, InstanceStore instances,
                  TaskStore tasks, LogStore logs, WorkerStore workers, UserStore users, ServerStore servers) {

        static Stores on(Database db) {
            return new Stores(db, new AppStore(db), new LeaseStore(db), new JobStore(db), new InstanceStore(db),
                new TaskStore(db), new LogStore(db), new WorkerStore(db), new UserStore(db), new ServerStore(db));
        }
    }

    Stores stores();

    TestDatabase testDatabase();

    default Database db() {
        return stores().db();
    }

    /** A name no other test of the class uses. */
    default String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    default long newApp() {
        return stores().apps().create(unique("app"), "an app", "secret-hash", 1_000L).id();
    }

    /** Takes the app's lease for {@code serverId}; the lease must be free. */
    default Fence own(long appId, String serverId, long durationMs) {
        long epoch = stores().leases().tryAcquire(appId, serverId, durationMs).orElseThrow(
            () -> new AssertionError("lease of app " + appId + " is not free"));
        return new Fence(appId, serverId, epoch);
    }

    default Fence own(long appId) {
        return own(appId, SERVER_1, LONG_LEASE_MS);
    }

    default LeaseStore.Lease lease(long appId) {
        return stores().leases().all().stream().filter(l -> l.appId() == appId).findFirst().orElseThrow();
    }

    /** Waits, bounded, until the app's lease has run out by the database's clock. */
    default void awaitExpiry(long appId) {
        long expiresAt = lease(appId).expiresAt();
        await("lease of app " + appId + " to expire on the database clock")
            .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
            .until(() -> db().nowMillis() > expiresAt);
    }

    default JobRow jobRow(long appId, String name, boolean enabled, Long nextFireAt) {
        return new JobRow(0, appId, name, "a job", enabled, "com.example.Hello", "{\"n\":1}", "CRON",
            "0 * * * * ?", "Europe/Paris", null, null, null, null, "FIRE_ONCE", 10, "STANDALONE", 1, "SKIP", 2,
            "EXPONENTIAL", 1_000, 60_000, 30_000, nextFireAt, 1_000, 1_000, null, null, null);
    }

    default JobRow newJob(long appId) {
        return stores().jobs().create(jobRow(appId, unique("job"), true, null));
    }

    default NewInstance tick(long jobId, Long scheduledAt) {
        return new NewInstance(jobId, InstanceState.WAITING, scheduledAt == null ? "API" : "SCHEDULE", scheduledAt,
            "{}", 3, null, null, 2_000);
    }

    default Optional<Long> insert(Fence fence, NewInstance n) {
        return db().jdbi().inTransaction(h -> stores().instances().insert(h, fence, n));
    }

    /** A new instance in {@code state}, recorded under the fence. */
    default long instance(Fence fence, long jobId, InstanceState state) {
        long id = insert(fence, tick(jobId, null)).orElseThrow();
        if (state != InstanceState.WAITING) {
            boolean moved = db().jdbi().inTransaction(h -> stores().instances().change(h, fence, id,
                EnumSet.of(InstanceState.WAITING), InstanceChange.to(state), 3_000));
            if (!moved) {
                throw new AssertionError("instance " + id + " did not move to " + state);
            }
        }
        return id;
    }

    default long task(Fence fence, long instanceId, String key, int attempt, String workerId) {
        return db().jdbi().inTransaction(h ->
            stores().tasks().insert(h, fence, instanceId, key, attempt, workerId, 4_000));
    }

    default long countRows(String sql, Object... args) {
        return db().jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }
}
