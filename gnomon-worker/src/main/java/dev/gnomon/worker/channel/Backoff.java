package dev.gnomon.worker.channel;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row the delay is drawn
 * uniformly from 0 to min(cap, base x 2^n), so workers that lost the same server do not all come
 * back at the same instant.
 */
public final class Backoff {

    /** Default first ceiling: a dropped channel is tried again within this time. */
    public static final Duration DEFAULT_BASE = Duration.ofMillis(200);
    /** Default longest wait between two tries. */
    public static final Duration DEFAULT_CAP = Duration.ofSeconds(5);

    private final long baseMillis;
    private final long capMillis;
    private final Random random;
    private int failures;

    public Backoff(Duration base, Duration cap, Random random) {
        this(base.toMillis(), cap.toMillis(), random);
    }

    public Backoff(long baseMillis, long capMillis, Random random) {
        if (baseMillis < 1 || capMillis < baseMillis) {
            throw new IllegalArgumentException("backoff base " + baseMillis + " ms and cap " + capMillis
                + " ms; the base must be at least 1 ms and the cap at least the base");
        }
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
        this.random = random;
    }

    /** The delay before the next try; each call counts one more failure. */
    public synchronized long nextDelayMillis() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(failures, 20));
        failures++;
        return (long) (random.nextDouble() * (ceiling + 1));
    }

    /** A try succeeded: start again from the base delay. */
    public synchronized void reset() {
        failures = 0;
    }
}
