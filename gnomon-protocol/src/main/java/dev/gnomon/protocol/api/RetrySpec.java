package dev.gnomon.protocol.api;

import java.time.Duration;

/**
 * How a failed or timed-out instance is tried again.
 *
 * @param maxRetries how many retries after the first attempt (0: none)
 * @param backoff    FIXED or EXPONENTIAL
 * @param delay      delay before the first retry
 * @param maxDelay   cap of an exponential delay
 */
public record RetrySpec(int maxRetries, BackoffKind backoff, Duration delay, Duration maxDelay) {

    public static RetrySpec none() {
        return new RetrySpec(0, BackoffKind.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
}
