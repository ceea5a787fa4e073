package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonApiException;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.BatchRunResource;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.tests.fault.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run calls with an {@code Idempotency-Key}: sent again, they answer the instances the first call
 * made and make none, so a client that lost an answer can retry without running a job twice.
 */
class IdempotentRunTest {

    private static TestServer t;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        t = TestServer.start();
        client = t.client();
        t.createApp("keys");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static JobResource job(String name) {
        // no worker offers the processor: every instance stays waiting, where the test can count it
        return client.jobs().create(new JobRequest("keys", name, null, true, "nobody-offers-this", "own",
            ScheduleSpec.api(), null, 1000, OverlapPolicy.QUEUE, null, null));
    }

    private static List<InstanceResource> instancesOf(long jobId) {
        return client.instances().list(InstanceQuery.all().withJob(jobId).withLimit(1000)).items();
    }

    @Test
    void aRunSentAgainWithItsKeyAnswersTheFirstInstanceAndMakesNone() {
        JobResource job = job("single");

        InstanceResource first = client.jobs().run(job.id(), "p", "order-4711");
        InstanceResource again = client.jobs().run(job.id(), "p", "order-4711");
        InstanceResource other = client.jobs().run(job.id(), "p", "order-4712");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.params()).isEqualTo("p");
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(instancesOf(job.id())).extracting(InstanceResource::id)
            .containsExactlyInAnyOrder(first.id(), other.id());
        // a key is the job's own: another job's call with it makes that job's instance
        JobResource second = job("single-2");
        assertThat(client.jobs().run(second.id(), "p", "order-4711").id()).isNotEqualTo(first.id());
    }

    @Test
    void aRunOfAJobThatSkipsOverlapsIsAnsweredAgainNotRefusedAsAnOverlap() {
        JobResource job = client.jobs().create(new JobRequest("keys", "skip", null, true, "nobody-offers-this", "own",
            ScheduleSpec.api(), null, 1, OverlapPolicy.SKIP, null, null));

        InstanceResource first = client.jobs().run(job.id(), null, "skip-1");
        InstanceResource again = client.jobs().run(job.id(), null, "skip-1");

        assertThat(again.id()).isEqualTo(first.id());
        // a new run is an overlap: refused as before
        assertThatThrownBy(() -> client.jobs().run(job.id(), null, "skip-2"))
            .isInstanceOfSatisfying(GnomonApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(instancesOf(job.id())).extracting(InstanceResource::id).containsExactly(first.id());
    }

    @Test
    void aKeySentAgainWithOtherParamsIsRefusedAndChangesNothing() {
        JobResource job = job("changed");
        InstanceResource first = client.jobs().run(job.id(), "a", "k-changed");

        assertThatThrownBy(() -> client.jobs().run(job.id(), "b", "k-changed"))
            .isInstanceOfSatisfying(GnomonApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.problem().field()).isEqualTo("Idempotency-Key");
                assertThat(e.getMessage()).contains("k-changed").contains("instance " + first.id())
                    .contains("send a new key");
            });
        assertThat(instancesOf(job.id())).extracting(InstanceResource::id).containsExactly(first.id());
    }

    @Test
    void aBatchSentAgainWithItsKeyAnswersTheSameInstancesInOrder() {
        JobResource job = job("batch");
        List<String> params = Arrays.asList("x", null, "z");

        BatchRunResource first = client.jobs().runAll(job.id(), params, "batch-1");
        BatchRunResource again = client.jobs().runAll(job.id(), params, "batch-1");

        assertThat(first.instanceIds()).hasSize(3).doesNotHaveDuplicates();
        assertThat(again.instanceIds()).isEqualTo(first.instanceIds());
        assertThat(instancesOf(job.id())).hasSize(3);
        // the same key for a batch of another length is another request: refused
        assertThatThrownBy(() -> client.jobs().runAll(job.id(), List.of("x", "y"), "batch-1"))
            .isInstanceOfSatisfying(GnomonApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(instancesOf(job.id())).hasSize(3);
    }

    @Test
    void aMalformedKeyIsRefusedWithWhatAKeyMayHold() {
        JobResource job = job("malformed");
        RawHttp admin = RawHttp.admin(t);
        String path = "/api/v1/jobs/" + job.id() + "/run";

        String detail = assertProblem(admin.send("POST", path, "{}", "Idempotency-Key", "has space"), 400,
            "Idempotency-Key");
        assertThat(detail).contains("'has space'").contains("1-64 characters").contains("UUID");
        assertProblem(admin.send("POST", path, "{}", "Idempotency-Key", "k".repeat(65)), 400, "Idempotency-Key");
        assertProblem(admin.send("POST", path, "{}", "Idempotency-Key", "batch#0"), 400, "Idempotency-Key");
        assertThat(instancesOf(job.id())).isEmpty();
        assertThatThrownBy(() -> client.jobs().run(job.id(), null, " "))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("new key");
    }

    @Test
    void aRunWhoseAnswerIsLostIsSentAgainAndMakesOneInstance() throws Exception {
        JobResource job = job("lost-answer");
        int serverPort = URI.create(t.url()).getPort();
        try (FaultProxy link = FaultProxy.start(serverPort)) {
            GnomonClient viaLink = GnomonClient.builder().baseUrl("http://127.0.0.1:" + link.port())
                .basicAuth("admin", TestServer.ADMIN_PASSWORD).timeout(Duration.ofSeconds(30)).build();
            // every chunk takes 3 s each way: the server records the run, and its answer is still on the link
            link.latency(Duration.ofSeconds(3), Duration.ZERO);
            CompletableFuture<InstanceResource> call = CompletableFuture.supplyAsync(
                () -> viaLink.jobs().run(job.id(), "once"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> instancesOf(job.id()).size() == 1);
            long made = instancesOf(job.id()).get(0).id();
            // the link breaks before the answer arrives; the client sends the call again on a new connection
            link.heal();
            assertThat(link.cutAll()).isEqualTo(1);

            InstanceResource answered = call.get(30, TimeUnit.SECONDS);

            assertThat(answered.id()).isEqualTo(made);
            assertThat(instancesOf(job.id())).extracting(InstanceResource::id).containsExactly(made);
        }
    }
}
