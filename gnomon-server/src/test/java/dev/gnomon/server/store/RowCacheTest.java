package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The short-lived row cache: what it serves, for how long, and what a write on this server does to it. */
class RowCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RowCache<String> cache = new RowCache<>(nanos::get);
    private final Map<Long, String> table = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    private Optional<String> read(long id) {
        reads.incrementAndGet();
        return Optional.ofNullable(table.get(id));
    }

    @Test
    void aRowIsReadOnceAndServedUntilItIsOlderThanTheMaximumAge() {
        table.put(1L, "v1");
        assertThat(cache.get(1, this::read)).contains("v1");
        table.put(1L, "v2 written by another server");
        nanos.addAndGet(RowCache.MAX_AGE.toNanos() - 1);
        assertThat(cache.get(1, this::read)).contains("v1");
        assertThat(reads).hasValue(1);

        nanos.addAndGet(1);
        assertThat(cache.get(1, this::read)).contains("v2 written by another server");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aWriteOnThisServerIsSeenAtOnce() {
        table.put(1L, "v1");
        cache.get(1, this::read);
        table.put(1L, "v2");
        cache.forget(1);
        assertThat(cache.get(1, this::read)).contains("v2");
    }

    @Test
    void aMissingRowIsNotKept() {
        assertThat(cache.get(7, this::read)).isEmpty();
        table.put(7L, "made");
        assertThat(cache.get(7, this::read)).contains("made");
    }

    @Test
    void aReadThatAWriteOvertookIsNotKept() {
        table.put(1L, "old");
        // The write commits and forgets the row while the read is on its way with the old value.
        assertThat(cache.get(1, id -> {
            Optional<String> old = read(id);
            table.put(1L, "new");
            cache.forget(1);
            return old;
        })).contains("old");
        assertThat(cache.get(1, this::read)).contains("new");
    }
}
