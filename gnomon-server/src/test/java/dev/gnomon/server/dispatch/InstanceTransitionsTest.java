package dev.gnomon.server.dispatch;

import static dev.gnomon.protocol.api.InstanceState.DISPATCHED;
import static dev.gnomon.protocol.api.InstanceState.FAILED;
import static dev.gnomon.protocol.api.InstanceState.RUNNING;
import static dev.gnomon.protocol.api.InstanceState.SKIPPED;
import static dev.gnomon.protocol.api.InstanceState.STOPPED;
import static dev.gnomon.protocol.api.InstanceState.SUCCEEDED;
import static dev.gnomon.protocol.api.InstanceState.TIMED_OUT;
import static dev.gnomon.protocol.api.InstanceState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.ConflictException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InstanceTransitionsTest {

    @Test
    void theNormalLifeOfAnInstanceIsAllowed() {
        assertThat(InstanceTransitions.allowed(WAITING, DISPATCHED)).isTrue();
        assertThat(InstanceTransitions.allowed(DISPATCHED, RUNNING)).isTrue();
        assertThat(InstanceTransitions.allowed(RUNNING, SUCCEEDED)).isTrue();
    }

    @Test
    void aFailedAttemptMayGoBackToWaitingForARetry() {
        assertThat(InstanceTransitions.allowed(RUNNING, WAITING)).isTrue();
        assertThat(InstanceTransitions.allowed(DISPATCHED, WAITING)).isTrue();
    }

    @Test
    void onlyLiveInstancesCanBeStopped() {
        assertThat(InstanceTransitions.sourcesOf(STOPPED)).containsExactlyInAnyOrder(WAITING, DISPATCHED, RUNNING);
    }

    @Test
    void aWaitingInstanceCannotSucceedWithoutRunning() {
        assertThat(InstanceTransitions.allowed(WAITING, SUCCEEDED)).isFalse();
        assertThat(InstanceTransitions.allowed(WAITING, RUNNING)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = InstanceState.class, names = {"SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT", "SKIPPED"})
    void endedInstancesNeverChangeAgain(InstanceState ended) {
        for (InstanceState to : InstanceState.values()) {
            assertThat(InstanceTransitions.allowed(ended, to)).as(ended + " -> " + to).isFalse();
        }
        assertThat(ended.terminal()).isTrue();
    }

    @Test
    void anIllegalChangeThrowsNamingBothStates() {
        assertThatThrownBy(() -> InstanceTransitions.check(42, SUCCEEDED, STOPPED))
            .isInstanceOf(ConflictException.class)
            .hasMessageContaining("instance 42 is SUCCEEDED and cannot become STOPPED")
            .hasMessageContaining("retry creates a new instance");
    }

    @Test
    void timeoutAndFailureAreReachableOnlyFromAnAttempt() {
        assertThat(InstanceTransitions.sourcesOf(TIMED_OUT)).isEqualTo(EnumSet.of(DISPATCHED, RUNNING));
        assertThat(InstanceTransitions.sourcesOf(FAILED)).contains(WAITING, DISPATCHED, RUNNING);
        assertThat(InstanceTransitions.sourcesOf(SKIPPED)).containsExactly(WAITING);
    }
}
