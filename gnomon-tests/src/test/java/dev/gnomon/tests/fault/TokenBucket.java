package dev.gnomon.tests.fault;

/**
 * Caps the bytes per second of one direction of the proxy, shared by all its connections (they
 * share one link). A rate of 0 means unlimited. The bucket holds at most 50 ms worth of tokens,
 * so a burst after an idle time stays short.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long BURST_DIVISOR = 20;

    private long bytesPerSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    synchronized void rate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = burst();
        this.refilledAt = System.nanoTime();
        notifyAll();
    }

    /**
     * Takes between 1 and {@code wanted} tokens, waiting until at least one is there.
     *
     * @return how many bytes the caller may now send
     */
    synchronized int take(int wanted) throws InterruptedException {
        while (true) {
            if (bytesPerSecond == 0) {
                return wanted;
            }
            refill();
            if (tokens >= 1) {
                int granted = (int) Math.min(wanted, (long) tokens);
                tokens -= granted;
                return granted;
            }
            long waitNanos = Math.max(1, (long) ((1 - tokens) * NANOS_PER_SECOND / bytesPerSecond));
            // a change of rate notifies, so a slower rate set earlier does not hold a new faster one back
            wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst(), tokens + (double) (now - refilledAt) * bytesPerSecond / NANOS_PER_SECOND);
        refilledAt = now;
    }

    private double burst() {
        return Math.max(1, bytesPerSecond / BURST_DIVISOR);
    }
}
