package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.api.BackoffKind;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void fixedBackoffWaitsTheSameBeforeEveryRetry() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(RetryBackoff.delayMs(BackoffKind.FIXED, 1500, 1500, attempt)).isEqualTo(1500);
        }
    }

    @Test
    void exponentialBackoffDoublesUpToTheCap() {
        assertThat(RetryBackoff.delayMs(BackoffKind.EXPONENTIAL, 1000, 10_000, 1)).isEqualTo(1000);
        assertThat(RetryBackoff.delayMs(BackoffKind.EXPONENTIAL, 1000, 10_000, 2)).isEqualTo(2000);
        assertThat(RetryBackoff.delayMs(BackoffKind.EXPONENTIAL, 1000, 10_000, 3)).isEqualTo(4000);
        assertThat(RetryBackoff.delayMs(BackoffKind.EXPONENTIAL, 1000, 10_000, 4)).isEqualTo(8000);
        assertThat(RetryBackoff.delayMs(BackoffKind.EXPONENTIAL, 1000, 10_000, 5)).isEqualTo(10_000);
        assertThat(RetryBackoff.delayMs(BackoffKind.EXPONENTIAL, 1000, 10_000, 90)).isEqualTo(10_000);
    }
}
