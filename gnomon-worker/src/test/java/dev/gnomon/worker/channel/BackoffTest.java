package dev.gnomon.worker.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void eachDelayIsDrawnBelowADoublingCeilingThatStopsAtTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000), new Random(7));
        long[] ceilings = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (long ceiling : ceilings) {
            assertThat(backoff.nextDelayMillis()).isBetween(0L, ceiling);
        }
    }

    @Test
    void delaysAreJitteredSoWorkersDoNotReturnTogether() {
        Set<Long> firstDelays = new HashSet<>();
        Random shared = new Random(11);
        for (int worker = 0; worker < 50; worker++) {
            firstDelays.add(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), shared).nextDelayMillis());
        }
        assertThat(firstDelays).hasSizeGreaterThan(25).allMatch(d -> d >= 0 && d <= 200);
    }

    @Test
    void aSuccessStartsAgainFromTheBase() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(60), new Random(3));
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        for (int i = 0; i < 20; i++) {
            backoff.reset();
            assertThat(backoff.nextDelayMillis()).isBetween(0L, 50L);
        }
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap at least the base");
    }
}
