package dev.gnomon.cli;

import dev.gnomon.client.FakeServer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceCommandsTest {

    FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listSendsRepeatedStatesAndPrintsATable() {
        server.respond("GET", "/api/v1/instances", 200,
            "{\"items\":[" + Fixtures.INSTANCE + "],\"total\":12,\"offset\":0,\"limit\":1}");

        Cli.Result result = Cli.against(server, "instance", "list", "--app", "billing", "--job", "42",
            "--state", "timed-out", "--state", "FAILED", "--limit", "1");

        assertThat(server.last().query()).isEqualTo("app=billing&job=42&state=FAILED&state=TIMED_OUT&limit=1");
        assertThat(result.out()).isEqualTo("""
            ID   APP      JOB      STATE   TRIGGER   ATTEMPT  SCHEDULED             STARTED               FINISHED              WORKER
            900  billing  nightly  FAILED  SCHEDULE  2/3      2026-01-03T01:00:00Z  2026-01-03T01:00:01Z  2026-01-03T01:00:09Z  w-1
            """);
        assertThat(result.err()).contains("1-1 of 12");
    }

    @Test
    void getShowsTheReason() {
        server.respond("GET", "/api/v1/instances/900", 200, Fixtures.INSTANCE);

        Cli.Result result = Cli.against(server, "instance", "get", "900");

        assertThat(result.out()).contains("reason:       exit code 1", "job:          nightly (42)");
    }

    @Test
    void tasksSendsTheStateFilterAndPrintsEachAttempt() {
        server.respond("GET", "/api/v1/instances/900/tasks", 200, "{\"items\":[{\"id\":7,\"instanceId\":900,"
            + "\"taskKey\":\"shard-3\",\"attempt\":2,\"state\":\"FAILED\",\"workerId\":\"w-2\","
            + "\"result\":\"disk full\",\"dispatchedAt\":\"2026-01-03T01:00:01Z\","
            + "\"finishedAt\":\"2026-01-03T01:00:09Z\"}],\"total\":5,\"offset\":0,\"limit\":1}");

        Cli.Result result = Cli.against(server, "instance", "tasks", "900", "--state", "failed,worker_lost",
            "--limit", "1");

        assertThat(server.last().query()).isEqualTo("state=FAILED&state=WORKER_LOST&limit=1");
        assertThat(result.out()).isEqualTo("""
            ID  TASK     ATTEMPT  STATE   WORKER  DISPATCHED            FINISHED              RESULT
            7   shard-3  2        FAILED  w-2     2026-01-03T01:00:01Z  2026-01-03T01:00:09Z  disk full
            """);
        assertThat(result.err()).contains("1-1 of 5");
    }

    @Test
    void taskCountsPrintsOneLinePerStateAndTheTotal() {
        server.respond("GET", "/api/v1/instances/900/tasks/counts", 200,
            "{\"instanceId\":900,\"total\":4,\"byState\":{\"SUCCEEDED\":3,\"WORKER_LOST\":1}}");

        Cli.Result result = Cli.against(server, "instance", "tasks", "900", "--counts");

        assertThat(result.out()).contains("SUCCEEDED    3", "WORKER_LOST  1", "total        4");
    }

    @Test
    void stopAndRetry() {
        server.respond("POST", "/api/v1/instances/900/stop", 200, Fixtures.INSTANCE)
            .respond("POST", "/api/v1/instances/900/retry", 201,
                Fixtures.INSTANCE.replace("\"id\":900", "\"id\":901").replace("SCHEDULE", "MANUAL_RETRY"));

        assertThat(Cli.against(server, "instance", "stop", "900").exit()).isZero();
        assertThat(Cli.against(server, "instance", "retry", "900").out()).contains("901", "MANUAL_RETRY");
    }

    @Test
    void logsReadsEveryPageAndPrintsOneLinePerEntry() {
        StringBuilder entries = new StringBuilder();
        for (int seq = 1; seq <= InstanceLogsCommand.BATCH; seq++) {
            entries.append(seq == 1 ? "" : ",").append("{\"attempt\":1,\"seq\":").append(seq)
                .append(",\"at\":\"2026-01-03T01:00:01.5Z\",\"level\":\"INFO\",\"text\":\"line ").append(seq).append("\"}");
        }
        // The fake answers every page the same, so the command must stop at the reported total.
        server.respond("GET", "/api/v1/instances/900/log", 200,
            "{\"items\":[" + entries + "],\"total\":" + (2 * InstanceLogsCommand.BATCH) + ",\"offset\":0,\"limit\":500}");

        Cli.Result result = Cli.against(server, "instance", "logs", "900");

        assertThat(server.requests()).extracting(FakeServer.Request::query)
            .containsExactly("offset=0&limit=500", "offset=500&limit=500");
        assertThat(result.out().lines()).hasSize(2 * InstanceLogsCommand.BATCH)
            .first().isEqualTo("1 1 2026-01-03T01:00:01Z INFO  line 1");
    }

    @Test
    void followPrintsLinesAsTheyComeAndExitsWithTheEndState() {
        server.respond("GET", "/api/v1/instances/900/log/stream", 200, "text/event-stream", """
            : log of instance 900

            id: 77:1:1
            event: line
            data: {"attempt":1,"seq":1,"at":"2026-01-03T01:00:01.5Z","level":"INFO","text":"starting"}

            id: 77:1:2
            event: line
            data: {"attempt":1,"seq":2,"at":"2026-01-03T01:00:02Z","level":"ERROR","text":"disk full"}

            event: end
            data: {"state":"FAILED"}

            """);

        Cli.Result result = Cli.against(server, "instance", "logs", "900", "-f");

        assertThat(result.exit()).isEqualTo(InstanceLogsCommand.NOT_SUCCEEDED);
        assertThat(result.out().lines()).containsExactly("1 1 2026-01-03T01:00:01Z INFO  starting",
            "1 2 2026-01-03T01:00:02Z ERROR disk full");
        assertThat(server.last().headers().get("Accept").get(0)).startsWith("text/event-stream");
    }

    @Test
    void levelAndContainsAskForTheFilteredTextLog() {
        server.respond("GET", "/api/v1/instances/900/log/text", 200, "text/plain; charset=utf-8",
            "1 2 2026-01-03T01:00:02Z ERROR disk full\n");

        Cli.Result result = Cli.against(server, "instance", "logs", "900", "--level", "WARN", "--contains", "disk");

        assertThat(result.exit()).isZero();
        assertThat(server.last().query()).isEqualTo("level=WARN&contains=disk");
        assertThat(result.out()).isEqualTo("1 2 2026-01-03T01:00:02Z ERROR disk full\n");
    }
}
