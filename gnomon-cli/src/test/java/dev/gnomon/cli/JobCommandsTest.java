package dev.gnomon.cli;

import dev.gnomon.client.FakeServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobCommandsTest {

    FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
        server.respond("POST", "/api/v1/jobs", 201, Fixtures.JOB)
            .respond("GET", "/api/v1/jobs/42", 200, Fixtures.JOB)
            .respond("PUT", "/api/v1/jobs/42", 200, Fixtures.JOB);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JobRequest sent() throws Exception {
        return Json.mapper().readValue(server.last().body(), JobRequest.class);
    }

    @Test
    void createSendsEveryOptionGiven() throws Exception {
        Cli.Result result = Cli.against(server, "job", "create", "--app", "billing", "--name", "nightly",
            "--processor", "shell", "--params", "echo hi", "--cron", "0 0 2 * * ?", "--tz", "Europe/Paris",
            "--start", "2026-01-01T00:00:00Z", "--misfire", "fire-all", "--misfire-bound", "5",
            "--max-concurrent", "2", "--overlap", "queue", "--retries", "3", "--backoff", "exponential",
            "--retry-delay", "PT5S", "--retry-max-delay", "1m", "--timeout", "PT30S", "--disabled");

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        ScheduleSpec schedule = ScheduleSpec.cron("0 0 2 * * ?", "Europe/Paris")
            .withWindow(Instant.parse("2026-01-01T00:00:00Z"), null).withMisfire(MisfirePolicy.FIRE_ALL, 5);
        assertThat(sent()).isEqualTo(new JobRequest("billing", "nightly", null, false, "shell", "echo hi", schedule,
            null, 2, OverlapPolicy.QUEUE,
            new RetrySpec(3, BackoffKind.EXPONENTIAL, Duration.ofSeconds(5), Duration.ofMinutes(1)),
            Duration.ofSeconds(30)));
        assertThat(result.out()).contains("schedule:       cron 0 0 2 * * ? Europe/Paris", "misfire:        fire-all (bound 5)");
    }

    @Test
    void createSendsModeSelectionShardsAndBroadcastRule() throws Exception {
        Cli.Result result = Cli.against(server, "job", "create", "--app", "billing", "--name", "parts",
            "--processor", "shell", "--api-only", "--mode", "sharding", "--shard", "eu", "--shard", "us",
            "--strategy", "consistent-hash", "--hash-key", "tenant", "--require-tag", "gpu,ssd", "--max-workers", "2",
            "--worker-wait", "30s");

        assertThat(result.err()).isEmpty();
        JobRequest sent = sent();
        assertThat(sent.mode()).isEqualTo(dev.gnomon.protocol.api.ExecutionMode.SHARDING);
        assertThat(sent.shards()).containsExactly("eu", "us");
        assertThat(sent.selection()).isEqualTo(new dev.gnomon.protocol.api.WorkerSelection(
            dev.gnomon.protocol.api.SelectionStrategy.CONSISTENT_HASH, "tenant", java.util.Set.of("gpu", "ssd"),
            null, 2, null, null, null, Duration.ofSeconds(30)));
        assertThat(sent.broadcast()).isNull();

        Cli.against(server, "job", "create", "--app", "billing", "--name", "all", "--processor", "shell", "--api-only",
            "--mode", "broadcast", "--success-rule", "at-least", "--threshold", "2", "--post-processor", "sum");
        assertThat(sent().broadcast()).isEqualTo(new dev.gnomon.protocol.api.BroadcastSpec(
            dev.gnomon.protocol.api.BroadcastRule.AT_LEAST, 2, true, "sum"));

        Cli.against(server, "job", "create", "--app", "billing", "--name", "split", "--processor", "splitter",
            "--api-only", "--mode", "map-reduce", "--retries", "2");
        assertThat(sent().mode()).isEqualTo(dev.gnomon.protocol.api.ExecutionMode.MAP_REDUCE);
        Cli.against(server, "job", "create", "--app", "billing", "--name", "fan", "--processor", "splitter",
            "--api-only", "--mode", "map");
        assertThat(sent().mode()).isEqualTo(dev.gnomon.protocol.api.ExecutionMode.MAP);
    }

    @Test
    void createWithEveryLeavesDefaultsToTheServer() throws Exception {
        Cli.Result result = Cli.against(server, "job", "create", "--app", "billing", "--name", "poll",
            "--processor", "http", "--every", "30s");

        assertThat(result.exit()).isZero();
        assertThat(sent()).isEqualTo(new JobRequest("billing", "poll", null, null, "http", null,
            ScheduleSpec.fixedRate(Duration.ofSeconds(30)), null, null, null, null, null));
    }

    @Test
    void updateChangesOnlyWhatIsGiven() throws Exception {
        Cli.Result result = Cli.against(server, "job", "update", "42", "--every", "PT1M", "--retries", "5",
            "--timeout", "0");

        assertThat(result.exit()).isZero();
        assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
            .containsExactly("GET /api/v1/jobs/42", "PUT /api/v1/jobs/42");
        JobRequest sent = sent();
        assertThat(sent.name()).isEqualTo("nightly");
        assertThat(sent.params()).isEqualTo("echo hi");
        assertThat(sent.enabled()).isTrue();
        assertThat(sent.timeout()).isEqualTo(Duration.ZERO);
        assertThat(sent.overlap()).isEqualTo(OverlapPolicy.SKIP);
        assertThat(sent.schedule()).isEqualTo(ScheduleSpec.fixedRate(Duration.ofMinutes(1)).withMisfire(MisfirePolicy.FIRE_ALL, 5));
        assertThat(sent.retry()).isEqualTo(new RetrySpec(5, BackoffKind.EXPONENTIAL, Duration.ofSeconds(5), Duration.ofMinutes(1)));
    }

    @Test
    void listPrintsJobsWithTheirSchedule() {
        server.respond("GET", "/api/v1/jobs", 200, Fixtures.page(Fixtures.JOB));

        Cli.Result result = Cli.against(server, "job", "list", "--app", "billing");

        assertThat(server.last().query()).isEqualTo("app=billing");
        assertThat(result.out()).isEqualTo("""
            ID  APP      NAME     ENABLED  SCHEDULE                       PROCESSOR  NEXT FIRE
            42  billing  nightly  yes      cron 0 0 2 * * ? Europe/Paris  shell      2026-01-03T01:00:00Z
            """);
    }

    @Test
    void runSendsParamsAndPrintsTheInstance() throws Exception {
        server.respond("POST", "/api/v1/jobs/42/run", 201, Fixtures.INSTANCE);

        Cli.Result result = Cli.against(server, "job", "run", "42", "--params", "--dry-run");

        assertThat(Json.mapper().readTree(server.last().body()).get("params").asText()).isEqualTo("--dry-run");
        assertThat(result.out()).startsWith("ID   APP      JOB      STATE").contains("900  billing  nightly  FAILED");
    }

    @Test
    void runWithAKeySendsItAsTheIdempotencyKey() {
        server.respond("POST", "/api/v1/jobs/42/run", 201, Fixtures.INSTANCE);

        Cli.against(server, "job", "run", "42", "--key", "deploy-2026-12-07");
        Cli.against(server, "job", "run", "42");

        assertThat(server.requests().get(0).header("Idempotency-Key")).isEqualTo("deploy-2026-12-07");
        assertThat(server.requests().get(1).header("Idempotency-Key")).isNotBlank().isNotEqualTo("deploy-2026-12-07");
    }

    @Test
    void nextShowsUtcAndTheScheduleZone() {
        server.respond("GET", "/api/v1/jobs/42/fire-times", 200,
            "{\"timeZone\":\"Europe/Paris\",\"times\":[\"2026-01-03T01:00:00Z\",\"2026-07-04T00:00:00Z\"]}");

        Cli.Result result = Cli.against(server, "job", "next", "42", "--count", "2");

        assertThat(server.last().query()).isEqualTo("count=2");
        assertThat(result.out()).isEqualTo("""
            #  UTC                   LOCAL (Europe/Paris)
            1  2026-01-03T01:00:00Z  2026-01-03T02:00:00+01:00
            2  2026-07-04T00:00:00Z  2026-07-04T02:00:00+02:00
            """);
    }

    @Test
    void enableDisableDelete() {
        server.respond("POST", "/api/v1/jobs/42/enable", 200, Fixtures.JOB)
            .respond("POST", "/api/v1/jobs/42/disable", 200, Fixtures.JOB.replace("\"enabled\":true", "\"enabled\":false"))
            .respond("DELETE", "/api/v1/jobs/42", 204, null);

        assertThat(Cli.against(server, "job", "enable", "42").exit()).isZero();
        assertThat(Cli.against(server, "job", "disable", "42").out()).contains("nightly  no");
        assertThat(Cli.against(server, "job", "delete", "42").out()).isEqualTo("deleted job 42\n");
        assertThat(server.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
            "POST /api/v1/jobs/42/enable", "POST /api/v1/jobs/42/disable", "DELETE /api/v1/jobs/42");
    }
}
