package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.client.GnomonApiException;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.FireTimes;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ScheduleType;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.tests.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobsApiTest {

    private static TestServer t;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        t = TestServer.start();
        client = t.client();
        t.createApp("alpha");
        t.createApp("beta");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void createThenGetReturnsTheDefinitionWithDefaults() {
        JobRequest req = new JobRequest("alpha", "nightly", "the nightly run", true, "report", "{\"x\":1}",
            ScheduleSpec.cron("0 30 2 * * ?", "Europe/Paris"), null, null, null, null, null);
        RawHttp.Reply created = RawHttp.admin(t).post("/api/v1/jobs", json(req));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = created.json().path("id").asLong();

        JobResource job = client.jobs().get(id);
        assertThat(job.app()).isEqualTo("alpha");
        assertThat(job.name()).isEqualTo("nightly");
        assertThat(job.description()).isEqualTo("the nightly run");
        assertThat(job.processor()).isEqualTo("report");
        assertThat(job.params()).isEqualTo("{\"x\":1}");
        assertThat(job.enabled()).isTrue();
        assertThat(job.schedule().type()).isEqualTo(ScheduleType.CRON);
        assertThat(job.schedule().cron()).isEqualTo("0 30 2 * * ?");
        assertThat(job.schedule().timeZone()).isEqualTo("Europe/Paris");
        assertThat(job.mode()).isEqualTo(ExecutionMode.STANDALONE);
        assertThat(job.maxConcurrent()).isEqualTo(1);
        assertThat(job.overlap()).isEqualTo(OverlapPolicy.SKIP);
        assertThat(job.retry().maxRetries()).isZero();
        assertThat(job.timeout()).isEqualTo(Duration.ZERO);
        ZonedDateTime next = job.nextFireAt().atZone(ZoneId.of("Europe/Paris"));
        assertThat(next.getHour()).isEqualTo(2);
        assertThat(next.getMinute()).isEqualTo(30);
        assertThat(job.nextFireAt()).isAfter(Instant.now());
    }

    @Test
    void listFiltersByAppAndPages() {
        for (int i = 0; i < 3; i++) {
            client.jobs().create(Requests.apiJob("beta", "b" + i, "p"));
        }
        Page<JobResource> beta = client.jobs().list("beta", null, null);
        assertThat(beta.total()).isEqualTo(3);
        assertThat(beta.items()).extracting(JobResource::app).containsOnly("beta");
        assertThat(beta.items()).extracting(JobResource::name).containsExactlyInAnyOrder("b0", "b1", "b2");

        List<Long> ids = new ArrayList<>();
        ids.addAll(client.jobs().list("beta", 0, 2).items().stream().map(JobResource::id).toList());
        Page<JobResource> second = client.jobs().list("beta", 2, 2);
        assertThat(second.items()).hasSize(1);
        assertThat(second.total()).isEqualTo(3);
        ids.addAll(second.items().stream().map(JobResource::id).toList());
        assertThat(ids).doesNotHaveDuplicates().hasSize(3);

        assertThat(client.jobs().list(null, null, null).total()).isGreaterThanOrEqualTo(3);
        String detail = assertProblem(RawHttp.admin(t).get("/api/v1/jobs?app=gamma"), 400, "app");
        assertThat(detail).contains("gamma");
    }

    @Test
    void putReplacesTheDefinitionAndKeepsIdentityAndCreationTime() throws Exception {
        JobResource before = client.jobs().create(Requests.job("alpha", "to-update", "old-proc",
            ScheduleSpec.fixedRate(Duration.ofHours(1))));
        Thread.sleep(5);
        JobRequest changed = new JobRequest("alpha", "updated", "now with retries", true, "new-proc", "p=1",
            ScheduleSpec.cron("0 0 12 * * ?", null), null, 3, OverlapPolicy.QUEUE,
            new RetrySpec(2, null, Duration.ofSeconds(5), null), Duration.ofMinutes(2));
        RawHttp.Reply put = RawHttp.admin(t).put("/api/v1/jobs/" + before.id(), json(changed));
        assertThat(put.status()).as("%s", put).isEqualTo(200);

        JobResource after = client.jobs().get(before.id());
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.name()).isEqualTo("updated");
        assertThat(after.processor()).isEqualTo("new-proc");
        assertThat(after.params()).isEqualTo("p=1");
        assertThat(after.maxConcurrent()).isEqualTo(3);
        assertThat(after.overlap()).isEqualTo(OverlapPolicy.QUEUE);
        assertThat(after.retry().maxRetries()).isEqualTo(2);
        assertThat(after.retry().delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(after.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(after.schedule().type()).isEqualTo(ScheduleType.CRON);
        assertThat(after.schedule().timeZone()).isEqualTo("UTC");
        assertThat(after.nextFireAt().atZone(ZoneId.of("UTC")).getHour()).isEqualTo(12);
        assertThat(after.createdAt()).isEqualTo(before.createdAt());
        assertThat(after.updatedAt()).isAfter(before.updatedAt());
    }

    @Test
    void aJobCannotMoveToAnotherApp() {
        JobResource job = client.jobs().create(Requests.apiJob("alpha", "stays", "p"));
        String detail = assertProblem(RawHttp.admin(t).put("/api/v1/jobs/" + job.id(),
            json(Requests.apiJob("beta", "stays", "p"))), 400, "app");
        assertThat(detail).contains("another app");
        assertThat(client.jobs().get(job.id()).app()).isEqualTo("alpha");
    }

    @Test
    void deleteRemovesTheJobAndItsInstances() {
        JobResource job = client.jobs().create(Requests.apiJob("alpha", "to-delete", "p"));
        client.jobs().run(job.id(), null);
        assertThat(instancesOf(job.id())).isEqualTo(1);

        RawHttp.Reply deleted = RawHttp.admin(t).delete("/api/v1/jobs/" + job.id());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThatThrownBy(() -> client.jobs().get(job.id())).isInstanceOfSatisfying(GnomonApiException.class,
            e -> assertThat(e.status()).isEqualTo(404));
        assertThat(instancesOf(job.id())).isZero();
        assertProblem(RawHttp.admin(t).delete("/api/v1/jobs/" + job.id()), 404, null);
    }

    @Test
    void disableClearsTheNextFireTimeAndEnableSetsIt() {
        JobResource job = client.jobs().create(Requests.job("alpha", "toggled", "p",
            ScheduleSpec.cron("0 0 * * * ?", null)));
        assertThat(job.nextFireAt()).isNotNull();

        JobResource disabled = client.jobs().disable(job.id());
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.nextFireAt()).isNull();
        assertThat(client.jobs().get(job.id()).nextFireAt()).isNull();
        assertThat(client.jobs().get(job.id()).enabled()).isFalse();

        JobResource enabled = client.jobs().enable(job.id());
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.nextFireAt()).isAfter(Instant.now())
            .isEqualTo(enabled.nextFireAt().truncatedTo(ChronoUnit.HOURS));
        assertThat(client.jobs().get(job.id()).nextFireAt()).isEqualTo(enabled.nextFireAt());
    }

    @Test
    void fireTimesOfAQuartzCronInATimeZone() {
        JobResource job = client.jobs().create(Requests.job("alpha", "paris", "p",
            ScheduleSpec.cron("0 15 9 ? * MON-FRI", "Europe/Paris")));
        FireTimes times = client.jobs().fireTimes(job.id(), 7);
        assertThat(times.timeZone()).isEqualTo("Europe/Paris");
        assertThat(times.times()).hasSize(7).isSorted().doesNotHaveDuplicates()
            .allSatisfy(i -> assertThat(i).isAfter(Instant.now()));
        for (Instant i : times.times()) {
            ZonedDateTime local = i.atZone(ZoneId.of("Europe/Paris"));
            assertThat(local.getHour()).as("%s", local).isEqualTo(9);
            assertThat(local.getMinute()).isEqualTo(15);
            assertThat(local.getDayOfWeek().getValue()).isBetween(1, 5);
        }
    }

    @Test
    void fireTimesOfAUnixCron() {
        JobResource job = client.jobs().create(Requests.job("alpha", "unix", "p",
            ScheduleSpec.cron("*/15 * * * *", null)));
        List<Instant> times = client.jobs().fireTimes(job.id(), 5).times();
        assertThat(times).hasSize(5).isSorted().doesNotHaveDuplicates()
            .allSatisfy(i -> assertThat(i).isAfter(Instant.now()));
        for (int k = 0; k < times.size(); k++) {
            ZonedDateTime utc = times.get(k).atZone(ZoneId.of("UTC"));
            assertThat(utc.getMinute() % 15).isZero();
            assertThat(utc.getSecond()).isZero();
            if (k > 0) {
                assertThat(Duration.between(times.get(k - 1), times.get(k))).isEqualTo(Duration.ofMinutes(15));
            }
        }
    }

    @Test
    void fireTimesOfAFixedRateAreOnePeriodApart() {
        Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        JobResource job = client.jobs().create(Requests.job("alpha", "rate", "p",
            ScheduleSpec.fixedRate(Duration.ofMinutes(10)).withWindow(start, null)));
        List<Instant> times = client.jobs().fireTimes(job.id(), 4).times();
        assertThat(times).containsExactly(start, start.plus(Duration.ofMinutes(10)),
            start.plus(Duration.ofMinutes(20)), start.plus(Duration.ofMinutes(30)));
        assertThat(job.nextFireAt()).isEqualTo(start);
    }

    @Test
    void fireTimesOfAOneShotIsItsInstantOnly() {
        Instant at = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        JobResource job = client.jobs().create(Requests.job("alpha", "once", "p", ScheduleSpec.oneShot(at)));
        assertThat(client.jobs().fireTimes(job.id(), 5).times()).containsExactly(at);
        assertThat(job.nextFireAt()).isEqualTo(at);
    }

    @Test
    void runWithParametersCreatesAWaitingInstanceCarryingThem() {
        JobResource job = client.jobs().create(Requests.apiJob("alpha", "runnable", "nobody-offers-this"));
        RawHttp.Reply run = RawHttp.admin(t).post("/api/v1/jobs/" + job.id() + "/run", "{\"params\":\"day=2024-01-01\"}");
        assertThat(run.status()).as("%s", run).isEqualTo(201);
        JsonNode inst = run.json();
        assertThat(inst.path("state").asText()).isEqualTo(InstanceState.WAITING.name());
        assertThat(inst.path("trigger").asText()).isEqualTo(TriggerKind.API.name());
        assertThat(inst.path("params").asText()).isEqualTo("day=2024-01-01");
        assertThat(inst.path("jobId").asLong()).isEqualTo(job.id());
        assertThat(inst.path("app").asText()).isEqualTo("alpha");

        var stored = client.instances().get(inst.path("id").asLong());
        assertThat(stored.state()).isEqualTo(InstanceState.WAITING);
        assertThat(stored.params()).isEqualTo("day=2024-01-01");
    }

    private static long instancesOf(long jobId) {
        return t.server().database().jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM instances WHERE job_id = :j").bind("j", jobId).mapTo(Long.class).one());
    }

    static String json(Object o) {
        try {
            return dev.gnomon.protocol.Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
