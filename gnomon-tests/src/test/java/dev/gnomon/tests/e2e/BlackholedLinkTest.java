package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.tests.fault.FaultProxy;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A worker behind a link that goes silent (black-holed: TCP stays open, nothing passes) for less
 * than the LOST timeout: the worker notices the silence, reconnects once the link is back, resends
 * what the server did not acknowledge, and its task ends SUCCEEDED once, never retried elsewhere.
 */
class BlackholedLinkTest {

    @Test
    void aTaskWhoseWorkerWasCutOffUnderTheLostTimeoutCompletesOnceWithoutARetry() throws Exception {
        try (TestServer t = TestServer.start(Map.of("gnomon.worker.suspect-after", "10s",
                 "gnomon.worker.lost-after", "45s"));
             FaultProxy proxy = FaultProxy.start(URI.create(t.url()).getPort())) {
            String secret = t.createApp("cutoff");
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            GnomonWorker worker = GnomonWorker.builder().servers("http://127.0.0.1:" + proxy.port()).app("cutoff")
                .secret(secret).workerId("behind-proxy").processor("work", ctx -> {
                    runs.incrementAndGet();
                    started.countDown();
                    ctx.logger().info("working");
                    Thread.sleep(3000);
                    return Result.success("done after the link went silent");
                }).build();
            try {
                worker.start();
                assertThat(worker.awaitConnected(Duration.ofSeconds(20))).isTrue();
                GnomonClient client = t.client();
                JobResource j = client.jobs().create(job("cutoff", "work", "work", null, ScheduleSpec.api(), null, null));
                long id = client.jobs().run(j.id(), null).id();
                assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

                proxy.blackhole(true);
                // The worker gives a silent channel up after 15 s; keep the link dead past that.
                await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isConnected());
                proxy.heal();
                assertThat(worker.awaitConnected(Duration.ofSeconds(30))).isTrue();

                InstanceResource done = JobRuns.awaitEnded(client, id);
                assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.attempt()).isEqualTo(1);
                assertThat(done.result()).isEqualTo("done after the link went silent");
                assertThat(done.workerId()).isEqualTo("behind-proxy");
                assertThat(runs).hasValue(1);
                assertThat(JobRuns.logText(client, id)).containsExactly("working");
            } finally {
                worker.close();
            }
        }
    }
}
