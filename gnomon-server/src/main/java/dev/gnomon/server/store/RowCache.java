package dev.gnomon.server.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Rows read by id and kept for a short time, for the API's busiest calls (run now reads its
 * job and app on every call). A write through this server's store forgets the row at once; a
 * write made on another server is seen once the kept copy is older than {@link #MAX_AGE}.
 */
final class RowCache<T> {

    /** How long a row read from the database is used before it is read again. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** More rows than this, and the cache starts afresh: it serves hot rows, not every row. */
    static final int MAX_ROWS = 10_000;

    private record Kept<T>(T row, long readAtNanos) {
    }

    private final ConcurrentHashMap<Long, Kept<T>> rows = new ConcurrentHashMap<>();
    /** Moves on every write, so a read that began before the write does not keep what it read. */
    private final AtomicLong writes = new AtomicLong();
    private final LongSupplier nanoTime;

    RowCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The kept row when it is recent enough, otherwise the one {@code read} answers (a missing row is not kept). */
    Optional<T> get(long id, LongFunction<Optional<T>> read) {
        long now = nanoTime.getAsLong();
        Kept<T> kept = rows.get(id);
        if (kept != null && now - kept.readAtNanos() < MAX_AGE.toNanos()) {
            return Optional.of(kept.row());
        }
        long writesBefore = writes.get();
        Optional<T> row = read.apply(id);
        if (row.isEmpty()) {
            rows.remove(id);
            return row;
        }
        if (rows.size() >= MAX_ROWS) {
            rows.clear();
        }
        rows.put(id, new Kept<>(row.get(), now));
        if (writes.get() != writesBefore) {
            // A write on this server may have come between the read and the put: do not keep the row.
            rows.remove(id);
        }
        return row;
    }

    /** Forgets the row: it was just written on this server. */
    void forget(long id) {
        writes.incrementAndGet();
        rows.remove(id);
    }
}
