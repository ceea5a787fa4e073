package dev.gnomon.server.store;

import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * App leases (decision 2). Every change is one conditional UPDATE judged by the database's
 * clock, so two servers can never both believe they hold the same epoch.
 */
public final class LeaseStore {

    /** One lease row as read. */
    public record Lease(long appId, String ownerId, long epoch, long expiresAt) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;

    public LeaseStore(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    /**
     * Takes a lease that is free, expired, or still held under this server's own id by an earlier
     * run of it (a restart), bumping its epoch. Returns the new epoch.
     */
    public OptionalLong tryAcquire(long appId, String serverId, long durationMs) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE app_leases SET owner_id = :me, epoch = epoch + 1,"
                    + " expires_at = " + dialect.nowMillis() + " + :d"
                    + " WHERE app_id = :app AND part = 0 AND (owner_id IS NULL OR owner_id = :me OR expires_at <= "
                    + dialect.nowMillis() + ")")
                .bind("me", serverId).bind("d", durationMs).bind("app", appId).execute();
            if (n == 0) {
                return OptionalLong.empty();
            }
            long epoch = h.createQuery("SELECT epoch FROM app_leases WHERE app_id = :app AND part = 0")
                .bind("app", appId).mapTo(Long.class).one();
            // Re-home every live instance and task in the same transaction: no state names a
            // server that no longer runs it.
            h.createUpdate("UPDATE instances SET owner_id = :me, epoch = :epoch WHERE app_id = :app"
                    + " AND state IN ('WAITING', 'DISPATCHED', 'RUNNING')")
                .bind("me", serverId).bind("epoch", epoch).bind("app", appId).execute();
            h.createUpdate("UPDATE tasks SET epoch = :epoch WHERE app_id = :app AND state IN ('DISPATCHED', 'RUNNING')")
                .bind("epoch", epoch).bind("app", appId).execute();
            return OptionalLong.of(epoch);
        });
    }

    /** Extends a lease this server holds at this epoch; false when it was lost. */
    public boolean renew(long appId, String serverId, long epoch, long durationMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE app_leases SET expires_at = " + dialect.nowMillis() + " + :d"
                + " WHERE app_id = :app AND part = 0 AND owner_id = :me AND epoch = :epoch")
            .bind("d", durationMs).bind("app", appId).bind("me", serverId).bind("epoch", epoch).execute() == 1);
    }

    /**
     * Extends every lease this server holds, in one statement, and returns what it holds now
     * (app to epoch). A lease missing from the answer, or at another epoch, was lost.
     */
    public java.util.Map<Long, Long> renewAll(String serverId, long durationMs) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE app_leases SET expires_at = " + dialect.nowMillis() + " + :d WHERE owner_id = :me")
                .bind("d", durationMs).bind("me", serverId).execute();
            java.util.Map<Long, Long> held = new java.util.HashMap<>();
            h.createQuery("SELECT app_id, epoch FROM app_leases WHERE part = 0 AND owner_id = :me")
                .bind("me", serverId).map((rs, ctx) -> held.put(rs.getLong(1), rs.getLong(2))).list();
            return held;
        });
    }

    /** The server holding the app's lease now, by the database's clock. */
    public java.util.Optional<String> owner(long appId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT owner_id FROM app_leases WHERE app_id = :app AND part = 0"
                + " AND owner_id IS NOT NULL AND expires_at > " + dialect.nowMillis())
            .bind("app", appId).mapTo(String.class).findOne());
    }

    /** Gives a lease up so another server can take it at once. */
    public void release(long appId, String serverId, long epoch) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE app_leases SET owner_id = NULL, expires_at = 0"
                + " WHERE app_id = :app AND part = 0 AND owner_id = :me AND epoch = :epoch")
            .bind("app", appId).bind("me", serverId).bind("epoch", epoch).execute());
    }

    public List<Lease> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT app_id, owner_id, epoch, expires_at FROM app_leases"
                + " WHERE part = 0 ORDER BY app_id")
            .map((rs, ctx) -> new Lease(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4))).list());
    }

    /** Leases that nobody holds now by the database's clock, or that name this server. */
    public List<Long> free(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT app_id FROM app_leases WHERE part = 0"
                + " AND (owner_id IS NULL OR owner_id = :me OR expires_at <= " + dialect.nowMillis() + ")")
            .bind("me", serverId).mapTo(Long.class).list());
    }
}
