package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.awaitInstance;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RefusedReport;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.tests.fault.FaultProxy;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A worker behind a link that goes silent (black-holed: TCP stays open, nothing passes). Under
 * the LOST timeout the worker is only SUSPECT, its task is left alone and completes once; past
 * it the task follows its retry policy elsewhere, and the old worker's late result is refused,
 * recorded and acknowledged, never applied.
 */
class BlackholedLinkTest {

    /** The worker gives a silent channel up after 15 s; these waits leave room for that and a reconnect. */
    private static final Duration LONG_WAIT = Duration.ofSeconds(60);
    /** Short failure detection, so that a worker cut off for a few seconds is LOST. */
    private static final Map<String, String> FAST_LOSS = Map.of("gnomon.worker.heartbeat-interval", "300ms",
        "gnomon.worker.suspect-after", "1s", "gnomon.worker.lost-after", "3s");

    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    private Result blockedWork(dev.gnomon.worker.TaskContext ctx) throws InterruptedException {
        runs.incrementAndGet();
        ctx.logger().info("working");
        if (!release.await(90, TimeUnit.SECONDS)) {
            return Result.failure("the test never released the task");
        }
        return Result.success("late result from behind-proxy");
    }

    private GnomonWorker proxiedWorker(FaultProxy proxy, String app, String secret) throws InterruptedException {
        GnomonWorker worker = GnomonWorker.builder().servers("http://127.0.0.1:" + proxy.port()).app(app)
            .secret(secret).workerId("behind-proxy").processor("work", this::blockedWork).build();
        worker.start();
        assertThat(worker.awaitConnected(Duration.ofSeconds(20))).isTrue();
        return worker;
    }

    @Test
    void aTaskWhoseWorkerWasCutOffUnderTheLostTimeoutIsLeftAloneAndCompletesOnce() throws Exception {
        try (TestServer t = TestServer.start(Map.of("gnomon.worker.heartbeat-interval", "500ms",
                 "gnomon.worker.suspect-after", "2s", "gnomon.worker.lost-after", "45s"));
             FaultProxy proxy = FaultProxy.start(URI.create(t.url()).getPort())) {
            String secret = t.createApp("cutoff");
            GnomonClient client = t.client();
            GnomonWorker worker = proxiedWorker(proxy, "cutoff", secret);
            try {
                JobResource j = client.jobs().create(job("cutoff", "work", "work", null, ScheduleSpec.api(), null, null));
                long id = client.jobs().run(j.id(), null).id();
                awaitInstance(client, id, "RUNNING", i -> i.state() == InstanceState.RUNNING);

                proxy.blackhole(true);
                await().atMost(Duration.ofSeconds(30)).until(() -> workerState(client, "cutoff").equals("SUSPECT"));
                InstanceResource meanwhile = client.instances().get(id);
                assertThat(meanwhile.state()).as("a SUSPECT worker's task is left alone").isEqualTo(InstanceState.RUNNING);
                assertThat(meanwhile.attempt()).isEqualTo(1);
                release.countDown();
                await().atMost(LONG_WAIT).until(() -> !worker.isConnected());
                proxy.heal();
                assertThat(worker.awaitConnected(LONG_WAIT)).isTrue();

                InstanceResource done = JobRuns.awaitEnded(client, id);
                assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.attempt()).isEqualTo(1);
                assertThat(done.result()).isEqualTo("late result from behind-proxy");
                assertThat(done.workerId()).isEqualTo("behind-proxy");
                assertThat(runs).hasValue(1);
                assertThat(JobRuns.logText(client, id)).containsExactly("working");
                assertThat(client.instances().refusedReports(id, null, null).items()).isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> workerState(client, "cutoff").equals("ONLINE"));
            } finally {
                worker.close();
            }
        }
    }

    @Test
    void pastTheLostTimeoutTheTaskIsRetriedElsewhereAndTheLateResultIsRefusedAndRecorded() throws Exception {
        try (TestServer t = TestServer.start(FAST_LOSS);
             FaultProxy proxy = FaultProxy.start(URI.create(t.url()).getPort())) {
            String secret = t.createApp("lost");
            GnomonClient client = t.client();
            GnomonWorker worker = proxiedWorker(proxy, "lost", secret);
            try {
                JobResource j = client.jobs().create(job("lost", "work", "work", null, ScheduleSpec.api(),
                    new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1)), null));
                long id = client.jobs().run(j.id(), null).id();
                awaitInstance(client, id, "RUNNING on behind-proxy", i -> i.state() == InstanceState.RUNNING);

                proxy.blackhole(true);
                InstanceResource retrying = awaitInstance(client, id, "attempt 2 waiting for a worker",
                    i -> i.attempt() == 2);
                assertThat(retrying.reason()).contains("behind-proxy");
                t.worker("lost", secret, b -> b.workerId("rescue")
                    .processor("work", ctx -> Result.success("attempt 2 on rescue")));
                InstanceResource done = JobRuns.awaitEnded(client, id);
                assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.attempt()).isEqualTo(2);
                assertThat(done.workerId()).isEqualTo("rescue");

                assertLateResultRefusedAndRecorded(client, worker, proxy, id);
                InstanceResource after = client.instances().get(id);
                assertThat(after.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(after.attempt()).isEqualTo(2);
                assertThat(after.result()).isEqualTo("attempt 2 on rescue");
            } finally {
                worker.close();
            }
        }
    }

    @Test
    void withoutRetriesTheInstanceFailsNamingTheLostWorkerAndItsLateResultIsOnlyRecorded() throws Exception {
        try (TestServer t = TestServer.start(FAST_LOSS);
             FaultProxy proxy = FaultProxy.start(URI.create(t.url()).getPort())) {
            String secret = t.createApp("gone");
            GnomonClient client = t.client();
            GnomonWorker worker = proxiedWorker(proxy, "gone", secret);
            try {
                JobResource j = client.jobs().create(job("gone", "work", "work", null, ScheduleSpec.api(), null, null));
                long id = client.jobs().run(j.id(), null).id();
                awaitInstance(client, id, "RUNNING on behind-proxy", i -> i.state() == InstanceState.RUNNING);

                proxy.blackhole(true);
                InstanceResource failed = JobRuns.awaitEnded(client, id);
                assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
                assertThat(failed.attempt()).isEqualTo(1);
                assertThat(failed.reason()).contains("lost its worker").contains("behind-proxy");

                assertLateResultRefusedAndRecorded(client, worker, proxy, id);
                InstanceResource after = client.instances().get(id);
                assertThat(after.state()).as("a late success does not revive a failed instance")
                    .isEqualTo(InstanceState.FAILED);
                assertThat(after.finishedAt()).isEqualTo(failed.finishedAt());
            } finally {
                worker.close();
            }
        }
    }

    /**
     * Lets the cut-off worker finish attempt 1 and heals the link: the worker notices its dead
     * channel, reconnects and resends its result, which the server refuses, records once and
     * acknowledges, so the worker holds nothing more to send.
     */
    private void assertLateResultRefusedAndRecorded(GnomonClient client, GnomonWorker worker, FaultProxy proxy, long id) {
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.runningTasks().isEmpty());
        proxy.heal();
        List<RefusedReport> refused = await().atMost(LONG_WAIT)
            .until(() -> client.instances().refusedReports(id, null, null).items(), r -> !r.isEmpty());
        await().atMost(LONG_WAIT).until(() -> worker.pendingReports() == 0);

        assertThat(refused).hasSize(1);
        RefusedReport late = refused.get(0);
        assertThat(late.attempt()).isEqualTo(1);
        assertThat(late.workerId()).isEqualTo("behind-proxy");
        assertThat(late.phase()).isEqualTo(TaskPhase.SUCCEEDED);
        assertThat(late.message()).isEqualTo("late result from behind-proxy");
        assertThat(late.reason()).contains("WORKER_LOST");
        assertThat(runs).hasValue(1);
        assertThat(client.instances().refusedReports(id, null, null).total()).isEqualTo(1);
    }

    private static String workerState(GnomonClient client, String app) {
        return client.workers().list(app).items().stream().filter(w -> w.id().equals("behind-proxy"))
            .map(w -> w.state()).findFirst().orElse("none");
    }
}
