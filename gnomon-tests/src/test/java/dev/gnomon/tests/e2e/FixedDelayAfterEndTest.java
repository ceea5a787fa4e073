package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.WAIT;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static dev.gnomon.tests.e2e.JobRuns.ticksOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A FIXED_DELAY job's next run is due its delay after the previous run ended, through a real
 * server and worker: the server plans it from the end it is told of, once per end.
 */
class FixedDelayAfterEndTest {

    private static final Duration DELAY = Duration.ofSeconds(1);

    private static TestServer server;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
        String secret = server.createApp("delay");
        server.worker("delay", secret, b -> b.processor("tick", ctx -> Result.success("tick " + ctx.instanceId())));
        client = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eachRunIsDueTheDelayAfterThePreviousEnded() {
        JobResource created = client.jobs().create(job("delay", "after-end", "tick", null,
            ScheduleSpec.fixedDelay(DELAY), null, null));

        await().atMost(WAIT).untilAsserted(() ->
            assertThat(ticksOf(client, created.id())).filteredOn(i -> i.state() == InstanceState.SUCCEEDED)
                .hasSizeGreaterThanOrEqualTo(3));
        client.jobs().disable(created.id());
        await().atMost(WAIT).untilAsserted(() ->
            assertThat(ticksOf(client, created.id())).allMatch(i -> i.state().terminal()));

        List<InstanceResource> ticks = ticksOf(client, created.id());
        assertThat(ticks).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < ticks.size(); i++) {
            InstanceResource previous = ticks.get(i - 1);
            assertThat(previous.finishedAt()).as("run %s ended", previous.id()).isNotNull();
            assertThat(ticks.get(i).scheduledAt()).as("run %s, after run %s ended at %s", ticks.get(i).id(),
                previous.id(), previous.finishedAt()).isEqualTo(previous.finishedAt().plus(DELAY));
        }
    }
}
