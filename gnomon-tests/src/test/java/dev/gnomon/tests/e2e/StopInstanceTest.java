package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.awaitInstance;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static dev.gnomon.tests.e2e.JobRuns.logText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonApiException;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping an instance through the API ends it at once and reaches the processor. */
class StopInstanceTest {

    @Test
    void stoppingARunningInstanceInterruptsTheProcessorAndItsLateReportChangesNothing() throws Exception {
        try (TestServer t = TestServer.start(Map.of())) {
            String secret = t.createApp("stop");
            CountDownLatch interrupted = new CountDownLatch(1);
            GnomonWorker worker = t.worker("stop", secret, b -> b.processor("long", ctx -> {
                ctx.logger().info("working");
                try {
                    for (int i = 0; i < 600; i++) {
                        ctx.checkCancelled();
                        Thread.sleep(100);
                    }
                    return Result.success("ran to the end");
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    // cleans up a moment after the stop, then tries to claim success
                    ctx.logger().info("cleaned up after the interrupt");
                    return Result.success("finished anyway");
                }
            }));
            GnomonClient client = t.client();
            JobResource created = client.jobs().create(job("stop", "long", "long", null, ScheduleSpec.api(), null, null));
            InstanceResource run = client.jobs().run(created.id(), null);
            awaitInstance(client, run.id(), "RUNNING", i -> i.state() == InstanceState.RUNNING);

            InstanceResource stopped = client.instances().stop(run.id());

            assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(stopped.finishedAt()).isNotNull();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("processor interrupted").isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(logText(client, run.id())).contains("cleaned up after the interrupt"));
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.runningTasks().isEmpty());
            // the worker's final report follows its log; it must leave the stopped instance as it was
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                InstanceResource now = client.instances().get(run.id());
                assertThat(now.state()).isEqualTo(InstanceState.STOPPED);
                assertThat(now.finishedAt()).isEqualTo(stopped.finishedAt());
                assertThat(now.reason()).isEqualTo(stopped.reason());
                assertThat(now.result()).isNotEqualTo("finished anyway");
            });

            GnomonApiException again = catchThrowableOfType(GnomonApiException.class,
                () -> client.instances().stop(run.id()));
            assertThat(again).as("stopping an ended instance").isNotNull();
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.problem().status()).isEqualTo(409);
            assertThat(again.detail()).contains("STOPPED");
        }
    }

    @Test
    void stoppingAWaitingInstanceWithNoWorkerEndsIt() {
        try (TestServer t = TestServer.start(Map.of())) {
            t.createApp("idle");
            GnomonClient client = t.client();
            JobResource created = client.jobs().create(job("idle", "never-runs", "nobody", null, ScheduleSpec.api(),
                null, null));
            InstanceResource run = client.jobs().run(created.id(), null);
            awaitInstance(client, run.id(), "waiting for a worker",
                i -> i.state() == InstanceState.WAITING && i.reason() != null && i.reason().contains("worker"));

            InstanceResource stopped = client.instances().stop(run.id());

            assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(client.instances().get(run.id()).state()).isEqualTo(InstanceState.STOPPED);
            assertThat(client.instances().get(run.id()).workerId()).isNull();
        }
    }
}
