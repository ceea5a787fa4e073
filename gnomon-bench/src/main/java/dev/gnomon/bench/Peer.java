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

    /** Starts executing due jobs. */
    void start() throws Exception;

    /** Stops executing; returns once stopped. */
    void stop() throws Exception;

    /** Jobs not yet completed, counted in the database (one transaction). */
    long pending() throws Exception;

    @Override
    void close() throws Exception;
}
