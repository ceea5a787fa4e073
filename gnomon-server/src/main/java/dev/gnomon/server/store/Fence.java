package dev.gnomon.server.store;

/**
 * The lease a write is made under (decision 2). A guarded write lands only while the app's
 * lease still names this owner and this epoch and has not expired by the database's clock.
 */
public record Fence(long appId, String ownerId, long epoch) {

    /** SQL condition; binds {@code fenceApp}, {@code fenceOwner}, {@code fenceEpoch}. */
    static String condition(Dialect dialect) {
        return "EXISTS (SELECT 1 FROM app_leases l WHERE l.app_id = :fenceApp AND l.part = 0"
            + " AND l.owner_id = :fenceOwner AND l.epoch = :fenceEpoch AND l.expires_at > " + dialect.nowMillis() + ")";
    }

    /** Whether the lease still names this owner and epoch and has not expired. */
    boolean held(org.jdbi.v3.core.Handle h, Dialect dialect) {
        return bind(h.createQuery("SELECT " + condition(dialect))).mapTo(Boolean.class).one();
    }

    /**
     * Of the rows a guarded batch write was meant for ({@code ids}), those it did not change;
     * throws {@link FencedException} when some were missed because this lease is gone.
     */
    java.util.Set<Long> missed(org.jdbi.v3.core.Handle h, Dialect dialect, java.util.List<Long> ids,
                               java.util.Collection<Long> changed) {
        java.util.Set<Long> done = new java.util.HashSet<>(changed);
        java.util.Set<Long> missed = new java.util.HashSet<>();
        for (Long id : ids) {
            if (!done.contains(id)) {
                missed.add(id);
            }
        }
        if (!missed.isEmpty() && !held(h, dialect)) {
            throw new FencedException(this);
        }
        return missed;
    }

    <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bind(T statement) {
        return statement.bind("fenceApp", appId).bind("fenceOwner", ownerId).bind("fenceEpoch", epoch);
    }
}
