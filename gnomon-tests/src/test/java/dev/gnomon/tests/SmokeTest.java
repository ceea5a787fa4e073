package dev.gnomon.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.worker.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void apiTriggeredJobRunsOnAWorkerWithItsParameters() {
        try (TestServer t = TestServer.start()) {
            String secret = t.createApp("smoke");
            t.worker("smoke", secret, b -> b.processor("echo", ctx -> {
                ctx.logger().info("got {}", ctx.instanceParams());
                return Result.success("echo:" + ctx.instanceParams());
            }));
            GnomonClient client = t.client();
            JobResource job = client.jobs().create(new JobRequest("smoke", "echo", null, true, "echo", null,
                ScheduleSpec.api(), null, null, null, null, null));
            InstanceResource run = client.jobs().run(job.id(), "hello");
            await().atMost(Duration.ofSeconds(20)).until(() -> client.instances().get(run.id()).state().terminal());
            InstanceResource done = client.instances().get(run.id());
            assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.result()).isEqualTo("echo:hello");
            assertThat(client.instances().log(run.id(), null, null).items())
                .extracting(e -> e.text()).containsExactly("got hello");
        }
    }
}
