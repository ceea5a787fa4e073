package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InstancesApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestServer t;
    private static GnomonClient client;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        t = TestServer.start(Map.of("gnomon.dispatch.worker-wait", "3s"));
        client = t.client();
        String secret = t.createApp("inst");
        t.createApp("lonely");
        t.worker("inst", secret, b -> b.workerId("inst-worker").maxTasks(8)
            .processor("ok", ctx -> Result.success("ok:" + ctx.instanceParams()))
            .processor("fail", ctx -> Result.failure("broken on purpose"))
            .processor("block", ctx -> {
                RELEASE.await(30, TimeUnit.SECONDS);
                return Result.success();
            })
            .processor("chatty", ctx -> {
                for (int i = 0; i < 25; i++) {
                    ctx.logger().info("line {}", i);
                }
                return Result.success();
            }));
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        t.close();
    }

    @Test
    void listFiltersByAppJobAndStatesNewestFirstWithTotals() {
        t.createApp("listing");
        String secret = client.apps().rotateSecret("listing").secret();
        t.worker("listing", secret, b -> b.workerId("listing-worker").maxTasks(8)
            .processor("ok", ctx -> Result.success())
            .processor("fail", ctx -> Result.failure("no")));
        JobResource good = client.jobs().create(parallel("listing", "good", "ok"));
        JobResource bad = client.jobs().create(parallel("listing", "bad", "fail"));
        List<Long> goodIds = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            goodIds.add(client.jobs().run(good.id(), "g" + i).id());
            all.add(goodIds.get(i));
        }
        for (int i = 0; i < 2; i++) {
            all.add(client.jobs().run(bad.id(), "b" + i).id());
        }
        await().atMost(WAIT).until(() -> all.stream().allMatch(id -> client.instances().get(id).state().terminal()));

        Page<InstanceResource> ofApp = client.instances().list(InstanceQuery.all().withApp("listing"));
        assertThat(ofApp.total()).isEqualTo(5);
        assertThat(ofApp.items()).extracting(InstanceResource::app).containsOnly("listing");
        List<Long> newestFirst = all.stream().sorted(Comparator.reverseOrder()).toList();
        assertThat(ofApp.items()).extracting(InstanceResource::id).containsExactlyElementsOf(newestFirst);

        Page<InstanceResource> ofJob = client.instances().list(InstanceQuery.all().withJob(good.id()));
        assertThat(ofJob.total()).isEqualTo(3);
        assertThat(ofJob.items()).extracting(InstanceResource::id)
            .containsExactlyElementsOf(goodIds.stream().sorted(Comparator.reverseOrder()).toList());

        Page<InstanceResource> failed = client.instances().list(InstanceQuery.all().withApp("listing")
            .withStates(InstanceState.FAILED));
        assertThat(failed.total()).isEqualTo(2);
        assertThat(failed.items()).extracting(InstanceResource::jobId).containsOnly(bad.id());

        JsonNode both = RawHttp.admin(t).get("/api/v1/instances?app=listing&state=SUCCEEDED&state=FAILED").json();
        assertThat(both.path("total").asLong()).isEqualTo(5);
        JsonNode comma = RawHttp.admin(t).get("/api/v1/instances?app=listing&state=succeeded,failed").json();
        assertThat(comma.path("total").asLong()).isEqualTo(5);
        JsonNode none = RawHttp.admin(t).get("/api/v1/instances?app=listing&state=RUNNING").json();
        assertThat(none.path("total").asLong()).isZero();
        assertThat(none.path("items")).isEmpty();

        List<Long> paged = new ArrayList<>();
        for (int offset = 0; offset < 5; offset += 2) {
            Page<InstanceResource> page = client.instances().list(InstanceQuery.all().withApp("listing")
                .withOffset(offset).withLimit(2));
            assertThat(page.total()).isEqualTo(5);
            page.items().forEach(i -> paged.add(i.id()));
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst);
        assertProblem(RawHttp.admin(t).get("/api/v1/instances?app=nowhere"), 400, "app");
        assertProblem(RawHttp.admin(t).get("/api/v1/instances?job=abc"), 400, "job");
    }

    @Test
    void getShowsHowAnInstanceRanAndEnded() {
        JobResource job = client.jobs().create(parallel("inst", "getme", "ok"));
        long id = client.jobs().run(job.id(), "hello").id();
        await().atMost(WAIT).until(() -> client.instances().get(id).state().terminal());
        InstanceResource done = client.instances().get(id);
        assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(done.result()).isEqualTo("ok:hello");
        assertThat(done.jobId()).isEqualTo(job.id());
        assertThat(done.jobName()).isEqualTo("getme");
        assertThat(done.app()).isEqualTo("inst");
        assertThat(done.trigger()).isEqualTo(TriggerKind.API);
        assertThat(done.workerId()).isEqualTo("inst-worker");
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        String detail = assertProblem(RawHttp.admin(t).get("/api/v1/instances/987654321"), 404, null);
        assertThat(detail).contains("987654321").doesNotContain("no route");
    }

    @Test
    void retryOfAnEndedInstanceCreatesANewOneWithTheSameParameters() {
        JobResource job = client.jobs().create(parallel("inst", "flaky", "fail"));
        long first = client.jobs().run(job.id(), "p=1").id();
        await().atMost(WAIT).until(() -> client.instances().get(first).state().terminal());
        assertThat(client.instances().get(first).state()).isEqualTo(InstanceState.FAILED);

        RawHttp.Reply retried = RawHttp.admin(t).post("/api/v1/instances/" + first + "/retry", null);
        assertThat(retried.status()).as("%s", retried).isEqualTo(201);
        long second = retried.json().path("id").asLong();
        assertThat(second).isNotEqualTo(first);
        InstanceResource again = client.instances().get(second);
        assertThat(again.trigger()).isEqualTo(TriggerKind.MANUAL_RETRY);
        assertThat(again.params()).isEqualTo("p=1");
        assertThat(again.jobId()).isEqualTo(job.id());
        await().atMost(WAIT).until(() -> client.instances().get(second).state().terminal());
        assertThat(client.instances().get(first).state()).isEqualTo(InstanceState.FAILED);
        assertThat(client.instances().list(InstanceQuery.all().withJob(job.id())).total()).isEqualTo(2);
    }

    @Test
    void retryOfALiveInstanceConflicts() {
        JobResource job = client.jobs().create(parallel("inst", "blocking", "block"));
        long id = client.jobs().run(job.id(), null).id();
        await().atMost(WAIT).until(() -> client.instances().get(id).state() == InstanceState.RUNNING);
        long before = Requests.rows(t, "instances");
        String detail = assertProblem(RawHttp.admin(t).post("/api/v1/instances/" + id + "/retry", null), 409, null);
        assertThat(detail).contains("RUNNING").contains("ended");
        assertThat(Requests.rows(t, "instances")).isEqualTo(before);
        RELEASE.countDown();
        await().atMost(WAIT).until(() -> client.instances().get(id).state() == InstanceState.SUCCEEDED);
    }

    @Test
    void logPagesInOrder() {
        JobResource job = client.jobs().create(parallel("inst", "chatty", "chatty"));
        long id = client.jobs().run(job.id(), null).id();
        await().atMost(WAIT).until(() -> client.instances().get(id).state().terminal()
            && client.instances().log(id, null, null).total() == 25);
        List<String> texts = new ArrayList<>();
        for (int offset = 0; offset < 25; offset += 10) {
            Page<LogEntry> page = client.instances().log(id, offset, 10);
            assertThat(page.total()).isEqualTo(25);
            assertThat(page.items()).hasSize(Math.min(10, 25 - offset));
            assertThat(page.items()).extracting(LogEntry::seq).isSorted();
            page.items().forEach(e -> texts.add(e.text()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("line " + i);
        }
        assertThat(texts).containsExactlyElementsOf(expected);
        assertThat(client.instances().log(id, 25, 10).items()).isEmpty();
        assertProblem(RawHttp.admin(t).get("/api/v1/instances/987654321/log"), 404, null);
    }

    @Test
    void anInstanceNoWorkerCanRunWaitsNamingTheProcessorThenFails() {
        JobResource job = client.jobs().create(parallel("inst", "orphan", "nobody-has-it"));
        long id = client.jobs().run(job.id(), null).id();
        InstanceResource noted = awaitReason(id);
        assertThat(noted.state()).isEqualTo(InstanceState.WAITING);
        assertThat(noted.reason()).contains("'nobody-has-it'").contains("inst-worker");
        await().atMost(WAIT).until(() -> client.instances().get(id).state().terminal());
        InstanceResource failed = client.instances().get(id);
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.reason()).contains("'nobody-has-it'").contains("gnomon.dispatch.worker-wait");
        assertThat(failed.workerId()).isNull();
    }

    @Test
    void anInstanceOfAnAppWithoutWorkersNamesTheProcessorToo() {
        JobResource job = client.jobs().create(parallel("lonely", "alone", "shell"));
        long id = client.jobs().run(job.id(), "echo hi").id();
        await().atMost(WAIT).until(() -> client.instances().get(id).state().terminal());
        InstanceResource failed = client.instances().get(id);
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.reason()).contains("'shell'").contains("--enable-shell");
    }

    @Test
    void aShellJobNeverRunsOnAWorkerWithoutShell() {
        JobResource job = client.jobs().create(new JobRequest("inst", "shelly", null, true, "shell",
            "echo should-not-run", ScheduleSpec.api(), null, 5, null, null, null));
        long id = client.jobs().run(job.id(), null).id();
        InstanceResource noted = awaitReason(id);
        assertThat(noted.state()).isEqualTo(InstanceState.WAITING);
        assertThat(noted.reason()).contains("'shell'").contains("--enable-shell");
        await().atMost(WAIT).until(() -> client.instances().get(id).state().terminal());
        InstanceResource failed = client.instances().get(id);
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.reason()).contains("--enable-shell");
        assertThat(failed.workerId()).isNull();
        assertThat(failed.startedAt()).isNull();
        long tasks = t.server().database().jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM tasks WHERE instance_id = :i").bind("i", id).mapTo(Long.class).one());
        assertThat(tasks).isZero();
        assertThat(client.instances().log(id, null, null).total()).isZero();
    }

    /** The instance as soon as the server has said why it waits (or it ended). */
    private static InstanceResource awaitReason(long id) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> client.instances().get(id),
            i -> i.reason() != null || i.state().terminal());
    }

    private static JobRequest parallel(String app, String name, String processor) {
        return new JobRequest(app, name, null, true, processor, null, ScheduleSpec.api(), null, 10, null, null, null);
    }
}
