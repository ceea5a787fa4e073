package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.WorkerResource;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkersApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    private static TestServer t;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        t = TestServer.start(Map.of("gnomon.worker.heartbeat-interval", "200ms"));
        client = t.client();
        String secret = t.createApp("fleet");
        t.createApp("idle");
        t.worker("fleet", secret, b -> b.workerId("fleet-1").maxTasks(3)
            .processor("block", ctx -> {
                RELEASE.await(30, TimeUnit.SECONDS);
                return Result.success();
            }));
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        t.close();
    }

    @Test
    void aConnectedWorkerIsListedWithItsIdentityAndLoad() {
        WorkerResource w = await().atMost(WAIT).until(() -> fleet1(), r -> r != null && r.lastHeartbeatAt() != null
            && r.cpuCount() > 0);
        assertThat(w.id()).isEqualTo("fleet-1");
        assertThat(w.app()).isEqualTo("fleet");
        assertThat(w.host()).isNotBlank();
        assertThat(w.address()).isNotBlank();
        assertThat(w.version()).isNotBlank();
        assertThat(w.state()).isEqualTo("ONLINE");
        assertThat(w.serverId()).isEqualTo(t.server().serverId());
        assertThat(w.connectedAt()).isBeforeOrEqualTo(Instant.now());
        assertThat(w.cpuCount()).isPositive();
        assertThat(w.memoryMax()).isPositive();
        assertThat(w.memoryUsed()).isPositive().isLessThanOrEqualTo(w.memoryMax());
        assertThat(w.maxTasks()).isEqualTo(3);
        assertThat(w.runningTasks()).isZero();

        Instant first = w.lastHeartbeatAt();
        assertThat(Duration.between(first, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
        // At a 200 ms heartbeat a newer beat shows up quickly: the listing is live, not a snapshot from connect time.
        await().atMost(Duration.ofSeconds(5)).until(() -> fleet1().lastHeartbeatAt().isAfter(first));
    }

    @Test
    void workersCanBeListedByApp() {
        Page<WorkerResource> fleet = client.workers().list("fleet");
        assertThat(fleet.total()).isEqualTo(1);
        assertThat(fleet.items()).extracting(WorkerResource::id).containsExactly("fleet-1");
        Page<WorkerResource> idle = client.workers().list("idle");
        assertThat(idle.total()).isZero();
        assertThat(idle.items()).isEmpty();
        assertThat(client.workers().list(null).total()).isEqualTo(1);
        assertProblem(RawHttp.admin(t).get("/api/v1/workers?app=unknown-app"), 400, "app");
    }

    @Test
    void runningTasksAreReportedWhileATaskRuns() {
        JobResource job = client.jobs().create(Requests.apiJob("fleet", "long", "block"));
        long id = client.jobs().run(job.id(), null).id();
        await().atMost(WAIT).until(() -> client.instances().get(id).state() == InstanceState.RUNNING);
        await().atMost(WAIT).until(() -> fleet1().runningTasks() == 1);
        RELEASE.countDown();
        await().atMost(WAIT).until(() -> client.instances().get(id).state() == InstanceState.SUCCEEDED);
        await().atMost(WAIT).until(() -> fleet1().runningTasks() == 0);
    }

    private static WorkerResource fleet1() {
        return client.workers().list("fleet").items().stream().filter(w -> w.id().equals("fleet-1")).findFirst()
            .orElse(null);
    }
}
