package dev.gnomon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The footprint figure is only honest while the bench starts the agent as the launcher does. */
class AgentOptionsTest {

    @Test
    void benchStartsTheAgentWithTheLaunchersDefaultOptions() throws Exception {
        Path launcher = Path.of("..", "gnomon");
        String script = Files.readString(launcher);

        assertThat(script).as("WORKER_JAVA_OPTS in %s", launcher.toAbsolutePath().normalize())
            .contains("WORKER_JAVA_OPTS=\"" + String.join(" ", GnomonProcesses.AGENT_JVM_OPTIONS) + "\"");
    }
}
