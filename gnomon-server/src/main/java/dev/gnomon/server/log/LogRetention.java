package dev.gnomon.server.log;

import dev.gnomon.server.store.LogStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes log chunks older than the retention and, past the size limit, the oldest ones. Every
 * server runs it; deleting a chunk twice does no harm. Each call does bounded work: at most
 * {@link #ROUNDS} rounds of {@link #BATCH} chunks, and the next call goes on from there.
 */
public final class LogRetention implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    static final int BATCH = 1_000;
    static final int ROUNDS = 20;

    private final LogStore logs;
    private final Clock clock;
    private final Duration retention;
    private final long maxBytes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gnomon-log-retention");
        t.setDaemon(true);
        return t;
    });

    public LogRetention(LogStore logs, Clock clock, Duration retention, long maxBytes) {
        this.logs = logs;
        this.clock = clock;
        this.retention = retention;
        this.maxBytes = maxBytes;
    }

    /** Sweeps every {@code interval} on a thread of its own, so a long sweep delays nothing else. */
    public LogRetention start(Duration interval) {
        timer.scheduleWithFixedDelay(this, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Runs another bounded sweep of old rows (run calls' keys) on this thread every {@code
     * interval}, so that the server's housekeeping shares one thread.
     */
    public LogRetention alsoEvery(Duration interval, Runnable sweep) {
        timer.scheduleWithFixedDelay(sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    @Override
    public void run() {
        try {
            int deleted = sweep();
            if (deleted > 0) {
                LOG.info("log retention deleted {} log chunks (older than {} or past {} bytes)", deleted, retention,
                    maxBytes);
            }
        } catch (RuntimeException e) {
            LOG.warn("log retention sweep failed; will try again at the next interval", e);
        }
    }

    /** Runs the rounds and returns the chunks deleted. */
    int sweep() {
        int deleted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int n = logs.sweep(clock.millis() - retention.toMillis(), maxBytes, BATCH);
            deleted += n;
            if (n < BATCH) {
                break;
            }
        }
        return deleted;
    }
}
