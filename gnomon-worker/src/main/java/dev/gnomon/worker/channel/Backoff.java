package dev.gnomon.worker.channel;

import java.util.Random;

/** Exponential backoff with full jitter: a delay drawn from 0 to min(cap, base x 2^n). */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final Random random;
    private int failures;

    public Backoff(long baseMillis, long capMillis, Random random) {
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
