package dev.gnomon.tests.e2e;

import dev.gnomon.tests.GnomonJvm;
import java.util.List;
import static dev.gnomon.tests.e2e.JobRuns.awaitInstance;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker agent process killed with SIGKILL while it runs a task: the server declares it lost and
 * the instance follows its retry policy instead of staying RUNNING for ever.
 */
class WorkerKilledMidTaskTest {

    private static final Map<String, String> FAST_FAILURE_DETECTION = Map.of(
        "gnomon.worker.heartbeat-interval", "300ms",
        "gnomon.worker.suspect-after", "1s",
        "gnomon.worker.lost-after", "3s");

    @Test
    void instanceOfAKilledWorkerWaitsForItsNextAttemptWhichRunsOnANewWorker() throws Exception {
        try (TestServer t = TestServer.start(FAST_FAILURE_DETECTION)) {
            String secret = t.createApp("killed");
            GnomonClient client = t.client();
            // a retry delay long enough to read the reason before the dispatcher notes it waits for a worker
            JobResource created = client.jobs().create(job("killed", "sleeps", "shell", "sleep 60", ScheduleSpec.api(),
                new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(4), Duration.ofSeconds(4)), null));

            try (GnomonJvm first = startAgent(t, secret, "doomed-worker")) {
                InstanceResource run = client.jobs().run(created.id(), null);
                awaitInstance(client, run.id(), "RUNNING on doomed-worker",
                    i -> i.state() == InstanceState.RUNNING && "doomed-worker".equals(i.workerId()));

                first.kill();

                InstanceResource waiting = awaitInstance(client, run.id(), "back to WAITING for attempt 2",
                    i -> i.state() != InstanceState.RUNNING && i.state() != InstanceState.DISPATCHED);
                assertThat(waiting.state()).as("after the worker was lost: %s", waiting).isEqualTo(InstanceState.WAITING);
                assertThat(waiting.attempt()).isEqualTo(2);
                assertThat(waiting.workerId()).isNull();
                assertThat(waiting.reason()).contains("lost its worker").contains("doomed-worker");

                try (GnomonJvm second = startAgent(t, secret, "rescue-worker")) {
                    InstanceResource rerun = awaitInstance(client, run.id(), "attempt 2 RUNNING on rescue-worker",
                        i -> i.state() == InstanceState.RUNNING && "rescue-worker".equals(i.workerId()));
                    assertThat(rerun.attempt()).isEqualTo(2);
                    second.noteDescendants();
                    assertThat(client.instances().stop(run.id()).state()).isEqualTo(InstanceState.STOPPED);
                }
            }
        }
    }

    @Test
    void withoutRetriesTheInstanceOfAKilledWorkerFailsNamingTheLostWorker() throws Exception {
        try (TestServer t = TestServer.start(FAST_FAILURE_DETECTION)) {
            String secret = t.createApp("killed");
            GnomonClient client = t.client();
            JobResource created = client.jobs().create(job("killed", "sleeps", "shell", "sleep 60", ScheduleSpec.api(),
                null, null));

            try (GnomonJvm worker = startAgent(t, secret, "doomed-worker")) {
                InstanceResource run = client.jobs().run(created.id(), null);
                awaitInstance(client, run.id(), "RUNNING", i -> i.state() == InstanceState.RUNNING);

                worker.kill();

                InstanceResource done = awaitInstance(client, run.id(), "ended", i -> i.state().terminal());
                assertThat(done.state()).isEqualTo(InstanceState.FAILED);
                assertThat(done.attempt()).isEqualTo(1);
                assertThat(done.reason()).contains("lost its worker").contains("doomed-worker");
            }
        }
    }

    /** Starts {@code gnomon worker} as its own JVM and waits until the server lists it as connected. */
    private static GnomonJvm startAgent(TestServer t, String secret, String workerId) {
        GnomonJvm agent = GnomonJvm.start(workerId, List.of("worker", "--server", t.url(), "--app", "killed",
            "--secret", secret, "--enable-shell", "--worker-id", workerId));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(agent.isAlive()).as("worker process alive; its output:\n%s", agent.outputText()).isTrue();
                assertThat(t.client().workers().list("killed").items())
                    .anyMatch(w -> w.id().equals(workerId) && w.state().equals("ONLINE"));
            });
        } catch (RuntimeException | AssertionError e) {
            agent.close();
            throw e;
        }
        return agent;
    }
}
