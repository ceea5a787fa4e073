package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.worker.agent.WorkerAgent;
import dev.gnomon.worker.agent.WorkerAgentConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectBackoffSettingTest {

    @Test
    void badBackoffValuesNameTheSettingAndWhatIsAllowed() {
        assertThatThrownBy(() -> GnomonWorker.builder().reconnectBackoff(Duration.ofMillis(1), Duration.ofSeconds(5)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("reconnect backoff base is 1 ms; allowed 10 ms to 60 s");
        assertThatThrownBy(() -> GnomonWorker.builder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .hasMessage("reconnect backoff cap is 1000 ms; allowed from the base (2000 ms) to 10 min");
        assertThatThrownBy(() -> GnomonWorker.builder().reconnectBackoff(Duration.ofSeconds(1), Duration.ofHours(1)))
            .hasMessageContaining("to 10 min");
    }

    @Test
    void theAgentTakesTheBackoffFromItsConfigAndChecksIt() {
        WorkerAgentConfig slowCap = new WorkerAgentConfig(List.of("http://h:1"), "demo", "s", false, 0, "agent-2",
            List.of(), Duration.ofMillis(500), Duration.ofSeconds(30), null);
        try (GnomonWorker worker = WorkerAgent.create(slowCap)) {
            assertThat(worker.id()).isEqualTo("agent-2");
        }
        WorkerAgentConfig baseOnly = new WorkerAgentConfig(List.of("http://h:1"), "demo", "s", false, 0, null,
            List.of(), Duration.ofSeconds(10), null, null);
        try (GnomonWorker worker = WorkerAgent.create(baseOnly)) {
            assertThat(worker.pendingReports()).isZero();
        }
        assertThatThrownBy(() -> WorkerAgent.create(new WorkerAgentConfig(List.of("http://h:1"), "demo", "s", false, 0,
            null, List.of(), Duration.ofSeconds(3), Duration.ofSeconds(1), null))).hasMessageStartingWith("reconnect backoff cap");
    }
}
