package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.client.GnomonApiException;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.BatchRunRequest;
import dev.gnomon.protocol.api.BatchRunResource;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.tests.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/jobs/{id}/runs}: many run-now requests in one call and one transaction. */
class BatchRunApiTest {

    private static TestServer t;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        t = TestServer.start();
        client = t.client();
        t.createApp("batch");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static JobResource job(String name, int maxConcurrent, OverlapPolicy overlap) {
        return client.jobs().create(new JobRequest("batch", name, null, true, "nobody-offers-this", "job-own", ScheduleSpec.api(),
            null, maxConcurrent, overlap, null, null));
    }

    private static List<InstanceResource> instancesOf(long jobId) {
        return client.instances().list(InstanceQuery.all().withJob(jobId).withLimit(1000)).items();
    }

    @Test
    void createsOneWaitingInstancePerItemInOrderWithItsParams() {
        JobResource job = job("many", 1000, OverlapPolicy.QUEUE);
        BatchRunResource made = client.jobs().runAll(job.id(), Arrays.asList("a", null, "c"));

        assertThat(made.jobId()).isEqualTo(job.id());
        assertThat(made.instanceIds()).hasSize(3).doesNotHaveDuplicates();
        List<String> params = new ArrayList<>();
        for (long id : made.instanceIds()) {
            InstanceResource inst = client.instances().get(id);
            assertThat(inst.jobId()).isEqualTo(job.id());
            assertThat(inst.state()).isEqualTo(InstanceState.WAITING);
            assertThat(inst.trigger()).isEqualTo(TriggerKind.API);
            params.add(inst.params());
        }
        assertThat(params).containsExactly("a", null, "c");
        assertThat(instancesOf(job.id())).hasSize(3);
    }

    @Test
    void aFullBatchOfTheLimitIsAccepted() {
        JobResource job = job("full", 1000, OverlapPolicy.QUEUE);
        List<String> params = new ArrayList<>();
        for (int i = 0; i < BatchRunRequest.MAX_RUNS; i++) {
            params.add("n=" + i);
        }
        BatchRunResource made = client.jobs().runAll(job.id(), params);
        assertThat(made.instanceIds()).hasSize(BatchRunRequest.MAX_RUNS).doesNotHaveDuplicates();
        assertThat(Requests.rows(t, "instances WHERE job_id = " + job.id())).isEqualTo(BatchRunRequest.MAX_RUNS);
    }

    @Test
    void anEmptyOrMissingListIsRefusedNamingRuns() {
        JobResource job = job("empty", 10, OverlapPolicy.QUEUE);
        String path = "/api/v1/jobs/" + job.id() + "/runs";
        assertThat(assertProblem(RawHttp.admin(t).post(path, "{\"runs\":[]}"), 400, "runs")).contains("empty")
            .contains("1-" + BatchRunRequest.MAX_RUNS);
        assertThat(assertProblem(RawHttp.admin(t).post(path, "{}"), 400, "runs")).contains("missing");
        assertProblem(RawHttp.admin(t).post(path, ""), 400, "body");
        assertThat(instancesOf(job.id())).isEmpty();
    }

    @Test
    void anOversizedBatchIsRefusedWithTheLimit() {
        JobResource job = job("oversized", 10, OverlapPolicy.QUEUE);
        StringBuilder body = new StringBuilder("{\"runs\":[");
        for (int i = 0; i <= BatchRunRequest.MAX_RUNS; i++) {
            body.append(i == 0 ? "" : ",").append("{}");
        }
        body.append("]}");
        String detail = assertProblem(RawHttp.admin(t).post("/api/v1/jobs/" + job.id() + "/runs", body.toString()),
            400, "runs");
        assertThat(detail).contains((BatchRunRequest.MAX_RUNS + 1) + " items").contains("at most "
            + BatchRunRequest.MAX_RUNS);
        assertThat(instancesOf(job.id())).isEmpty();
    }

    @Test
    void aBadItemIsRefusedByItsIndexAndNothingIsCreated() {
        JobResource job = job("bad-item", 10, OverlapPolicy.QUEUE);
        String path = "/api/v1/jobs/" + job.id() + "/runs";
        assertThat(assertProblem(RawHttp.admin(t).post(path, "{\"runs\":[{},{\"params\":\"x\"},null]}"), 400,
            "runs[2]")).contains("runs[2] is null");
        String huge = "x".repeat(256 * 1024 + 1);
        assertThat(assertProblem(RawHttp.admin(t).post(path, "{\"runs\":[{},{\"params\":\"" + huge + "\"}]}"), 400,
            "runs[1].params")).contains("at most " + 256 * 1024);
        assertProblem(RawHttp.admin(t).post(path, "{\"runs\":[{\"params\":\"ok\"},{\"params\":[1,2]}]}"), 400, null);
        assertThat(instancesOf(job.id())).isEmpty();
    }

    @Test
    void withOverlapSkipABatchPastMaxConcurrentIsRefusedWhole() {
        JobResource job = job("skip", 2, OverlapPolicy.SKIP);
        assertThatThrownBy(() -> client.jobs().runAll(job.id(), Arrays.asList("a", "b", "c")))
            .isInstanceOfSatisfying(GnomonApiException.class, e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.detail()).contains("3 more were asked for").contains("maxConcurrent 2");
            });
        assertThat(instancesOf(job.id())).isEmpty();
        assertThat(client.jobs().runAll(job.id(), Arrays.asList("a", "b")).instanceIds()).hasSize(2);
    }

    @Test
    void anUnknownJobIs404() {
        JsonNode p = RawHttp.admin(t).post("/api/v1/jobs/987654321/runs", "{\"runs\":[{}]}").json();
        assertThat(p.path("status").asInt()).isEqualTo(404);
    }
}
