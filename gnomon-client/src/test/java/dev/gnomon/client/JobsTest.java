package dev.gnomon.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.FireTimes;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ScheduleType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsTest {

    static final String JOB = """
        {"id":42,"app":"billing","name":"nightly","enabled":true,"processor":"shell","params":"echo hi",
         "schedule":{"type":"CRON","cron":"0 0 2 * * ?","timeZone":"Europe/Paris"},
         "mode":"STANDALONE","maxConcurrent":1,"overlap":"SKIP",
         "retry":{"maxRetries":0,"backoff":"FIXED","delay":"PT1S","maxDelay":"PT1S"},
         "nextFireAt":"2026-01-03T01:00:00Z","createdAt":"2026-01-02T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z"}""";
    static final String INSTANCE = """
        {"id":900,"jobId":42,"jobName":"nightly","app":"billing","state":"WAITING","trigger":"API",
         "params":"x","attempt":1,"maxAttempts":1,"createdAt":"2026-01-02T00:00:00Z"}""";

    FakeServer server;
    GnomonClient client;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
        client = GnomonClient.builder().baseUrl(server.url()).basicAuth("admin", "pässword").build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createSendsTheWholeRequestWithBasicAuth() throws Exception {
        server.respond("POST", "/api/v1/jobs", 201, JOB);
        ScheduleSpec schedule = ScheduleSpec.cron("0 0 2 * * ?", "Europe/Paris").withMisfire(MisfirePolicy.FIRE_ALL, 5);
        JobRequest request = new JobRequest("billing", "nightly", null, true, "shell", "echo hi", schedule, null,
            2, OverlapPolicy.QUEUE, new RetrySpec(3, BackoffKind.EXPONENTIAL, Duration.ofSeconds(5), Duration.ofMinutes(1)),
            Duration.ofSeconds(30));

        JobResource job = client.jobs().create(request);

        assertThat(job.id()).isEqualTo(42);
        assertThat(job.schedule().type()).isEqualTo(ScheduleType.CRON);
        FakeServer.Request sent = server.last();
        assertThat(sent.header("Authorization")).isEqualTo("Basic YWRtaW46cMOkc3N3b3Jk");
        assertThat(Json.mapper().readValue(sent.body(), JobRequest.class)).isEqualTo(request);
        JsonNode body = Json.mapper().readTree(sent.body());
        assertThat(body.at("/schedule/misfire").asText()).isEqualTo("FIRE_ALL");
        assertThat(body.at("/overlap").asText()).isEqualTo("QUEUE");
    }

    @Test
    void listFiltersByAppAndPages() {
        server.respond("GET", "/api/v1/jobs", 200, "{\"items\":[" + JOB + "],\"total\":1,\"offset\":0,\"limit\":10}");

        var page = client.jobs().list("billing", 0, 10);

        assertThat(server.last().query()).isEqualTo("app=billing&offset=0&limit=10");
        assertThat(page.items().get(0).nextFireAt()).isEqualTo(Instant.parse("2026-01-03T01:00:00Z"));
    }

    @Test
    void updatePutsToTheJobsPath() {
        server.respond("PUT", "/api/v1/jobs/42", 200, JOB);

        client.jobs().update(42, new JobRequest("billing", "nightly", null, null, "shell", "echo", ScheduleSpec.api(),
            null, null, null, null, null));

        assertThat(server.last().method()).isEqualTo("PUT");
        assertThat(server.last().body()).contains("\"type\":\"API\"");
    }

    @Test
    void enableDisableAndDeleteUseTheirPaths() {
        server.respond("POST", "/api/v1/jobs/42/enable", 200, JOB)
            .respond("POST", "/api/v1/jobs/42/disable", 200, JOB)
            .respond("DELETE", "/api/v1/jobs/42", 204, null);

        client.jobs().enable(42);
        client.jobs().disable(42);
        client.jobs().delete(42);

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
            "POST /api/v1/jobs/42/enable", "POST /api/v1/jobs/42/disable", "DELETE /api/v1/jobs/42");
    }

    @Test
    void runSendsParamsOnlyWhenGiven() throws Exception {
        server.respond("POST", "/api/v1/jobs/42/run", 201, INSTANCE);

        InstanceResource instance = client.jobs().run(42, "--dry-run");
        client.jobs().run(42, null);

        assertThat(instance.id()).isEqualTo(900);
        assertThat(Json.mapper().readTree(server.requests().get(0).body()).get("params").asText()).isEqualTo("--dry-run");
        assertThat(server.requests().get(1).body()).isEmpty();
    }

    @Test
    void eachRunCarriesAnIdempotencyKeyOfItsOwnOrTheCallersKey() throws Exception {
        server.respond("POST", "/api/v1/jobs/42/run", 201, INSTANCE);
        server.respond("POST", "/api/v1/jobs/42/runs", 201, "{\"jobId\":42,\"instanceIds\":[900]}");

        client.jobs().run(42, null);
        client.jobs().run(42, null);
        client.jobs().run(42, null, "order-4711");
        client.jobs().runAll(42, java.util.List.of("a"));
        client.jobs().runAll(42, java.util.List.of("a"), "batch-7");

        java.util.List<String> keys = server.requests().stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).hasSize(5).doesNotContainNull();
        assertThat(java.util.UUID.fromString(keys.get(0))).isNotEqualTo(java.util.UUID.fromString(keys.get(1)));
        assertThat(keys.get(2)).isEqualTo("order-4711");
        assertThat(java.util.UUID.fromString(keys.get(3))).isNotNull();
        assertThat(keys.get(4)).isEqualTo("batch-7");
    }

    @Test
    void fireTimesAsksForCount() {
        server.respond("GET", "/api/v1/jobs/42/fire-times", 200,
            "{\"timeZone\":\"Europe/Paris\",\"times\":[\"2026-01-03T01:00:00Z\",\"2026-01-04T01:00:00Z\"]}");

        FireTimes times = client.jobs().fireTimes(42, 2);

        assertThat(server.last().query()).isEqualTo("count=2");
        assertThat(times.times()).containsExactly(Instant.parse("2026-01-03T01:00:00Z"), Instant.parse("2026-01-04T01:00:00Z"));
    }
}
