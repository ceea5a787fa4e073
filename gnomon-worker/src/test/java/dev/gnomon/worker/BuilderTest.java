package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.worker.agent.WorkerAgent;
import dev.gnomon.worker.agent.WorkerAgentConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuilderTest {

    @Test
    void badValuesNameTheSettingAndWhatIsAllowed() {
        assertThatThrownBy(() -> GnomonWorker.builder().maxTasks(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTasks is 0; allowed 1-10000");
        assertThatThrownBy(() -> GnomonWorker.builder().logSpoolSize(5))
            .hasMessage("logSpoolSize is 5 bytes; allowed 65536 (64KB) or more");
        assertThatThrownBy(() -> GnomonWorker.builder().logSpoolMaxAge(java.time.Duration.ofMillis(10)))
            .hasMessage("logSpoolMaxAge is PT0.01S; allowed 1s or more");
        assertThatThrownBy(() -> GnomonWorker.builder().servers("grpc://h:7701"))
            .hasMessageStartingWith("servers: 'grpc://h:7701' uses grpc");
        assertThatThrownBy(() -> GnomonWorker.builder().servers(" , "))
            .hasMessageStartingWith("servers is empty");
        assertThatThrownBy(() -> GnomonWorker.builder().app(" ")).hasMessageStartingWith("app is empty");
        assertThatThrownBy(() -> GnomonWorker.builder().workerId("a b")).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> GnomonWorker.builder().processor("shell", ctx -> Result.success()))
            .hasMessageStartingWith("processor name 'shell' is reserved");
        assertThatThrownBy(() -> GnomonWorker.builder().processor("a", ctx -> null).processor("a", ctx -> null))
            .hasMessage("processor 'a' is registered twice; names must be unique");
    }

    @Test
    void buildNeedsServersAppAndSecret() {
        assertThatThrownBy(() -> GnomonWorker.builder().app("demo").secret("s").build())
            .hasMessageStartingWith("servers is not set");
        assertThatThrownBy(() -> GnomonWorker.builder().servers("http://h:1").secret("s").build())
            .hasMessageStartingWith("app is not set");
        assertThatThrownBy(() -> GnomonWorker.builder().servers("http://h:1").app("demo").build())
            .hasMessageStartingWith("secret is not set");
    }

    @Test
    void serversAcceptACommaSeparatedListAndBareHosts() {
        try (GnomonWorker worker = GnomonWorker.builder().servers("http://a:7700, b:7800").app("demo").secret("s")
            .build()) {
            assertThat(worker.id()).isNotBlank();
            assertThat(worker.isConnected()).isFalse();
            assertThat(worker.runningTasks()).isEmpty();
        }
    }

    @Test
    void theAgentConfigIsValidatedAndBuildsAWorker() {
        assertThatThrownBy(() -> new WorkerAgentConfig(List.of(), "demo", "s", false, 0, null))
            .hasMessageStartingWith("servers is empty");
        assertThatThrownBy(() -> new WorkerAgentConfig(List.of("http://h:1"), "demo", "", false, 0, null))
            .hasMessageStartingWith("secret is empty");
        assertThatThrownBy(() -> WorkerAgent.create(new WorkerAgentConfig(List.of("http://h:1"), "demo", "s", true,
            20_000, null))).hasMessage("maxTasks is 20000; allowed 1-10000");

        try (GnomonWorker worker = WorkerAgent.create(
            new WorkerAgentConfig(List.of("http://h:1"), "demo", "s", true, 4, "agent-1"))) {
            assertThat(worker.id()).isEqualTo("agent-1");
        }
    }
}
