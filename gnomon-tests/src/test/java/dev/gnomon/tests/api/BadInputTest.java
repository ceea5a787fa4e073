package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refused request answers a 4xx problem naming the field at fault, and leaves what is
 * stored exactly as it was: same number of apps and jobs, and the job a failed PUT aimed at
 * reads back unchanged.
 */
class BadInputTest {

    private static TestServer t;
    private static RawHttp admin;
    private static long jobId;

    @BeforeAll
    static void start() {
        t = TestServer.start();
        admin = RawHttp.admin(t);
        t.createApp("bad");
        jobId = t.client().jobs().create(Requests.job("bad", "base", "proc",
            ScheduleSpec.cron("0 0 3 * * ?", "Europe/Berlin"))).id();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void cronHourOutOfRangeNamesTheFieldAndTheRange() {
        String body = valid().put("name", "h25").set("schedule", schedule("{\"type\":\"CRON\",\"cron\":\"0 0 25 * * ?\"}"))
            .toString();
        String created = refused("POST", "/api/v1/jobs", body, 400, "schedule.cron");
        assertThat(created).contains("hour").contains("25").contains("0-23");
        String updated = refused("PUT", "/api/v1/jobs/" + jobId, body, 400, "schedule.cron");
        assertThat(updated).contains("hour").contains("0-23");
        String unix = refused("POST", "/api/v1/jobs", valid().set("schedule",
            schedule("{\"type\":\"CRON\",\"cron\":\"0 25 * * *\"}")).toString(), 400, "schedule.cron");
        assertThat(unix).contains("hour").contains("0-23");
    }

    @Test
    void cronWithTheWrongNumberOfFieldsSaysWhichFormsExist() {
        String detail = refused("POST", "/api/v1/jobs", valid().set("schedule",
            schedule("{\"type\":\"CRON\",\"cron\":\"0 0 * *\"}")).toString(), 400, "schedule.cron");
        assertThat(detail).contains("5 fields").contains("6-7 fields");
    }

    @Test
    void unknownTimeZone() {
        String detail = refused("PUT", "/api/v1/jobs/" + jobId, valid().set("schedule",
            schedule("{\"type\":\"CRON\",\"cron\":\"0 0 3 * * ?\",\"timeZone\":\"Mars/Olympus\"}")).toString(), 400,
            "schedule.timeZone");
        assertThat(detail).contains("Mars/Olympus");
    }

    @Test
    void unknownApp() {
        String detail = refused("POST", "/api/v1/jobs", valid().put("app", "ghost").toString(), 400, "app");
        assertThat(detail).contains("ghost");
        refused("POST", "/api/v1/jobs", valid().putNull("app").toString(), 400, "app");
    }

    @Test
    void unknownJobIdIs404OnEveryJobRoute() {
        long missing = 987654321L;
        for (String[] call : new String[][] {{"GET", ""}, {"PUT", ""}, {"DELETE", ""}, {"POST", "/run"},
            {"POST", "/enable"}, {"POST", "/disable"}, {"GET", "/fire-times"}}) {
            String body = call[0].equals("PUT") ? valid().toString() : null;
            String detail = refused(call[0], "/api/v1/jobs/" + missing + call[1], body, 404, null);
            assertThat(detail).as("%s %s", call[0], call[1]).contains(String.valueOf(missing))
                .doesNotContain("no route");
        }
        refused("GET", "/api/v1/jobs/not-a-number", null, 400, "id");
    }

    @Test
    void mapModesWithSettingsOfOtherModes() {
        String detail = refused("POST", "/api/v1/jobs", valid().put("name", "other").put("mode", "MAP_REDUCE")
            .set("shards", Json.mapper().createArrayNode().add("a")).toString(), 400, "shards");
        assertThat(detail).isEqualTo("shards are only for mode SHARDING; the mode is MAP_REDUCE");
        refused("PUT", "/api/v1/jobs/" + jobId, valid().put("mode", "MAP")
            .set("broadcast", Json.mapper().createObjectNode().put("rule", "ALL")).toString(), 400, "broadcast");
    }

    @Test
    void modeAndSelectionSettingsThatDoNotFit() {
        String shardless = refused("POST", "/api/v1/jobs", valid().put("name", "other").put("mode", "SHARDING")
            .toString(), 400, "shards");
        assertThat(shardless).contains("mode SHARDING needs shards");
        ObjectNode hashWithoutKey = valid().put("name", "other");
        hashWithoutKey.putObject("selection").put("strategy", "CONSISTENT_HASH");
        assertThat(refused("POST", "/api/v1/jobs", hashWithoutKey.toString(), 400, "selection.hashKey"))
            .contains("CONSISTENT_HASH needs selection.hashKey");
        ObjectNode badRule = valid().put("mode", "BROADCAST");
        badRule.putObject("broadcast").put("rule", "PERCENT").put("threshold", 150);
        refused("PUT", "/api/v1/jobs/" + jobId, badRule.toString(), 400, "broadcast.threshold");
        ObjectNode badStrategy = valid();
        badStrategy.putObject("selection").put("strategy", "FASTEST");
        refused("PUT", "/api/v1/jobs/" + jobId, badStrategy.toString(), 400, "selection.strategy");
    }

    @Test
    void tasksOfAMissingInstanceOrInAnUnknownState() {
        refused("GET", "/api/v1/instances/987654321/tasks", null, 404, null);
        refused("GET", "/api/v1/instances/987654321/tasks/counts", null, 404, null);
        String state = refused("GET", "/api/v1/instances/987654321/tasks?state=SLEEPING", null, 400, "state");
        assertThat(state).contains("SLEEPING").contains("WORKER_LOST");
    }

    @Test
    void aBodyThatIsNotJson() {
        String detail = refused("POST", "/api/v1/jobs", "{\"app\": \"bad\", name: oops", 400, "body");
        assertThat(detail).contains("not valid JSON");
        refused("PUT", "/api/v1/jobs/" + jobId, "not json at all", 400, "body");
        refused("POST", "/api/v1/jobs", "", 400, "body");
        refused("POST", "/api/v1/apps", "[1,2", 400, "body");
    }

    @Test
    void fieldsOfTheWrongType() {
        String detail = refused("POST", "/api/v1/jobs", valid().put("maxConcurrent", "abc").toString(), 400,
            "maxConcurrent");
        assertThat(detail).contains("maxConcurrent").contains("number");
        String type = refused("PUT", "/api/v1/jobs/" + jobId, valid().set("schedule",
            schedule("{\"type\":\"DAILY\"}")).toString(), 400, "schedule.type");
        assertThat(type).contains("DAILY").contains("CRON").contains("FIXED_RATE").contains("FIXED_DELAY")
            .contains("ONE_SHOT").contains("API");
        refused("POST", "/api/v1/jobs", valid().put("timeout", "ten minutes").toString(), 400, "timeout");
        refused("POST", "/api/v1/jobs", valid().put("enabled", "maybe").toString(), 400, "enabled");
        refused("POST", "/api/v1/jobs", valid().put("schedule", "CRON").toString(), 400, "schedule");
    }

    @Test
    void anOversizeBodyIs413() {
        String huge = valid().put("params", "x".repeat(1_100_000)).toString();
        assertThat(huge.length()).isGreaterThan(1 << 20);
        String detail = refused("POST", "/api/v1/jobs", huge, 413, "body");
        assertThat(detail).contains("gnomon.http.max-body-size");
        refused("PUT", "/api/v1/jobs/" + jobId, huge, 413, "body");
        refused("POST", "/api/v1/apps", "{\"name\":\"big\",\"description\":\"" + "d".repeat(1_100_000) + "\"}",
            413, "body");
    }

    @Test
    void missingRequiredFields() {
        refused("POST", "/api/v1/jobs", valid().without("name").toString(), 400, "name");
        refused("POST", "/api/v1/jobs", valid().without("processor").toString(), 400, "processor");
        String detail = refused("POST", "/api/v1/jobs", valid().without("schedule").toString(), 400, "schedule");
        assertThat(detail).contains("schedule is required");
        refused("PUT", "/api/v1/jobs/" + jobId, valid().without("schedule").toString(), 400, "schedule");
        refused("POST", "/api/v1/jobs", valid().set("schedule", schedule("{\"cron\":\"0 0 3 * * ?\"}")).toString(),
            400, "schedule.type");
        refused("POST", "/api/v1/jobs", "{}", 400, null);
    }

    @Test
    void aOneShotInThePast() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        String detail = refused("POST", "/api/v1/jobs", valid().set("schedule",
            schedule("{\"type\":\"ONE_SHOT\",\"at\":\"" + past + "\"}")).toString(), 400, "schedule.at");
        assertThat(detail).contains("past");
    }

    @Test
    void tooManyRetries() {
        String detail = refused("POST", "/api/v1/jobs", valid().set("retry",
            schedule("{\"maxRetries\":1000}")).toString(), 400, "retry.maxRetries");
        assertThat(detail).contains("1000").contains("0-100");
        refused("PUT", "/api/v1/jobs/" + jobId, valid().set("retry", schedule("{\"maxRetries\":-1}")).toString(),
            400, "retry.maxRetries");
    }

    @Test
    void runNowWithParamsOverTheLimit() {
        String body = "{\"params\":\"" + "x".repeat(300_000) + "\"}";
        String detail = refused("POST", "/api/v1/jobs/" + jobId + "/run", body, 400, "params");
        assertThat(detail).contains("300000").contains("262144");
    }

    @Test
    void badPagingParameters() {
        for (String list : new String[] {"/api/v1/jobs", "/api/v1/apps", "/api/v1/instances", "/api/v1/workers"}) {
            String zero = refused("GET", list + "?limit=0", null, 400, "limit");
            assertThat(zero).as(list).contains("limit").contains("0");
            String word = refused("GET", list + "?limit=abc", null, 400, "limit");
            assertThat(word).as(list).contains("abc");
            refused("GET", list + "?offset=-1", null, 400, "offset");
        }
        refused("GET", "/api/v1/jobs/" + jobId + "/fire-times?count=0", null, 400, "count");
        refused("GET", "/api/v1/instances?state=SLEEPING", null, 400, "state");
    }

    /** Sends the call, checks the problem it answers, and checks that nothing stored changed. */
    private static String refused(String method, String path, String body, int status, String field) {
        long apps = Requests.rows(t, "apps");
        long jobs = Requests.rows(t, "jobs");
        long instances = Requests.rows(t, "instances");
        String job = admin.get("/api/v1/jobs/" + jobId).body();
        String detail = assertProblem(admin.send(method, path, body), status, field);
        assertThat(Requests.rows(t, "apps")).as("apps after %s %s", method, path).isEqualTo(apps);
        assertThat(Requests.rows(t, "jobs")).as("jobs after %s %s", method, path).isEqualTo(jobs);
        assertThat(Requests.rows(t, "instances")).as("instances after %s %s", method, path).isEqualTo(instances);
        assertThat(admin.get("/api/v1/jobs/" + jobId).body()).as("job after %s %s", method, path).isEqualTo(job);
        return detail;
    }

    /** A valid request for the base job, to spoil one field at a time. */
    private static ObjectNode valid() {
        JobRequest req = Requests.job("bad", "base", "proc", ScheduleSpec.cron("0 0 3 * * ?", "Europe/Berlin"));
        return Json.mapper().valueToTree(req);
    }

    private static ObjectNode schedule(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
