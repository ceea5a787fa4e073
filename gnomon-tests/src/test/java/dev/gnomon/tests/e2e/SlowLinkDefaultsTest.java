package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.tests.fault.FaultProxy;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import dev.gnomon.worker.TaskContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Decision 8 with every link setting at its default (heartbeat, suspect and lost times on the
 * server; reconnect backoff and WebSocket keepalive on the worker): a worker 300 ms away whose
 * connection is cut every three seconds runs several jobs of about twenty seconds each. Every
 * instance succeeds exactly once, at attempt 1, and the worker is never SUSPECT or LOST.
 */
class SlowLinkDefaultsTest {

    private static final int JOBS = 4;
    private static final int STEPS = 20;

    private final Map<Long, AtomicInteger> runsByInstance = new ConcurrentHashMap<>();

    private Result twentySeconds(TaskContext ctx) throws InterruptedException {
        runsByInstance.computeIfAbsent(ctx.instanceId(), i -> new AtomicInteger()).incrementAndGet();
        for (int step = 1; step <= STEPS; step++) {
            ctx.logger().info("step {} of {}", step, STEPS);
            Thread.sleep(1_000);
        }
        return Result.success("done at attempt " + ctx.attempt());
    }

    @Test
    void jobsOnASlowLinkThatDropsEveryFewSecondsEachSucceedOnceAtTheFirstAttempt() throws Exception {
        try (TestServer t = TestServer.start(Map.of());
             FaultProxy proxy = FaultProxy.start(URI.create(t.url()).getPort())) {
            String secret = t.createApp("far");
            GnomonClient client = t.client();
            proxy.latency(Duration.ofMillis(300), Duration.ofMillis(30));
            GnomonWorker worker = GnomonWorker.builder().servers("http://127.0.0.1:" + proxy.port()).app("far")
                .secret(secret).workerId("far-worker").maxTasks(JOBS).processor("slow", this::twentySeconds).build();
            try {
                worker.start();
                assertThat(worker.awaitConnected(Duration.ofSeconds(30))).isTrue();
                proxy.cutEvery(Duration.ofSeconds(3));

                List<Long> ids = new ArrayList<>();
                for (int i = 1; i <= JOBS; i++) {
                    long jobId = client.jobs().create(job("far", "slow-" + i, "slow", null, ScheduleSpec.api(), null,
                        null)).id();
                    ids.add(client.jobs().run(jobId, null).id());
                }
                Set<String> workerStates = ConcurrentHashMap.newKeySet();
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    client.workers().list("far").items().forEach(w -> workerStates.add(w.state()));
                    return ids.stream().allMatch(id -> client.instances().get(id).state().terminal());
                });
                long cuts = proxy.cuts();
                proxy.cutEvery(null);

                for (long id : ids) {
                    InstanceResource done = client.instances().get(id);
                    assertThat(done.state()).as("instance %s", done).isEqualTo(InstanceState.SUCCEEDED);
                    assertThat(done.attempt()).as("instance %s", done).isEqualTo(1);
                    assertThat(done.result()).isEqualTo("done at attempt 1");
                    assertThat(done.workerId()).isEqualTo("far-worker");
                    assertThat(client.instances().refusedReports(id, null, null).items()).isEmpty();
                    assertThat(runsByInstance.get(id)).as("runs of instance %d", id).hasValue(1);
                }
                assertThat(runsByInstance).hasSize(JOBS);
                assertThat(workerStates).as("states the worker was seen in").containsOnly("ONLINE");
                assertThat(cuts).as("the link was cut again and again while the jobs ran").isGreaterThanOrEqualTo(5);
                await().atMost(Duration.ofSeconds(30)).until(() -> worker.pendingReports() == 0);
            } finally {
                proxy.heal();
                worker.close();
            }
        }
    }
}
