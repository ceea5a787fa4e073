package dev.gnomon.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A scheduler compared with Gnomon, used as a library in the harness's JVM on the bench database. */
interface Peer extends AutoCloseable {

    /** Where each run's no-op job says it started: job id to epoch microseconds. */
    Map<String, Long> STARTS = new ConcurrentHashMap<>();

    static void started(String id) {
        STARTS.put(id, Jvm.micros());
    }

    String name();

    /** The settings used, as written in BENCHMARKS.md, with where the peer's documentation advises them. */
    String settings();

    /** Creates the peer's tables in the freshly made bench database and opens its client side. */
    void setUp() throws Exception;

    /** Durably schedules one no-op job with this id, due at {@code at}. */
    void submit(String id, Instant at) throws Exception;

    /** Durably schedules no-op jobs due now in one call; false when the peer has no batch call. */
    boolean submitBatch(List<String> ids) throws Exception;

    /** How many M5 triggers to take when {@code asked} are asked for; a polling-only peer may take fewer. */
    default int idleSamples(int asked) {
        return asked;
    }

    /**
     * How long M5 waits before each trigger. A peer that only polls would otherwise get every
     * trigger at the same phase of its poll; it picks a random wait over one poll instead.
     */
    default long idleGapMillis() {
        return 200;
    }

    /** Starts executing due jobs. */
    void start() throws Exception;

    /** Stops executing; returns once stopped. */
    void stop() throws Exception;

    /** Jobs not yet completed, counted in the database (one transaction). */
    long pending() throws Exception;

    @Override
    void close() throws Exception;
}
