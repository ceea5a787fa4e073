package dev.gnomon.server.dispatch;

import dev.gnomon.server.store.InstanceStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets run calls' idempotency keys older than the retention, so that the keys of a job run
 * through the API all day do not pile up. Every server runs it; deleting a key twice does no
 * harm. Each call does bounded work: at most {@link #ROUNDS} rounds of {@link #BATCH} keys.
 */
public final class RunKeyExpiry implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RunKeyExpiry.class);
    static final int BATCH = 1_000;
    static final int ROUNDS = 20;

    private final InstanceStore instances;
    private final Clock clock;
    private final Duration retention;

    public RunKeyExpiry(InstanceStore instances, Clock clock, Duration retention) {
        this.instances = instances;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public void run() {
        try {
            int forgotten = sweep();
            if (forgotten > 0) {
                LOG.info("forgot {} run calls' idempotency keys older than {}", forgotten, retention);
            }
        } catch (RuntimeException e) {
            LOG.warn("the sweep of run calls' idempotency keys failed; will try again at the next interval", e);
        }
    }

    /** Runs the rounds and returns the keys forgotten. */
    int sweep() {
        int forgotten = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int n = instances.forgetRunKeys(clock.millis() - retention.toMillis(), BATCH);
            forgotten += n;
            if (n < BATCH) {
                break;
            }
        }
        return forgotten;
    }
}
