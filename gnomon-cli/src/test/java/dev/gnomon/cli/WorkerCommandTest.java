package dev.gnomon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code gnomon worker}: its link options are checked before the worker starts. */
class WorkerCommandTest {

    @Test
    void badReconnectBackoffValuesAreUsageErrorsThatSayWhatIsAllowed() {
        Cli.Result capBelowBase = Cli.run("worker", "--server", "http://127.0.0.1:1", "--app", "a", "--secret", "s",
            "--reconnect-base", "5s", "--reconnect-cap", "1s");
        Cli.Result notADuration = Cli.run("worker", "--server", "http://127.0.0.1:1", "--app", "a", "--secret", "s",
            "--reconnect-base", "soon");

        assertThat(capBelowBase.exit()).isEqualTo(2);
        assertThat(capBelowBase.err()).contains("reconnect backoff cap is 1000 ms", "from the base (5000 ms)");
        assertThat(notADuration.exit()).isEqualTo(2);
        assertThat(notADuration.err()).contains("'--reconnect-base'");
    }
}
