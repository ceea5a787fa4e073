package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.api.BackoffKind;

/** The delay before the next attempt of an instance. */
public final class RetryBackoff {

    private RetryBackoff() {
    }

    /**
     * @param failedAttempt the attempt that just failed, from 1
     * @return delay in milliseconds before attempt {@code failedAttempt + 1}
     */
    public static long delayMs(BackoffKind kind, long delayMs, long maxDelayMs, int failedAttempt) {
        if (kind == BackoffKind.FIXED) {
            return delayMs;
        }
        long delay = delayMs;
        for (int i = 1; i < failedAttempt && delay < maxDelayMs; i++) {
            delay = delay > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : delay * 2;
        }
        return Math.min(delay, maxDelayMs);
    }
}
