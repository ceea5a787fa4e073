package dev.gnomon.client;

import static dev.gnomon.protocol.api.InstanceState.FAILED;
import static dev.gnomon.protocol.api.InstanceState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.api.LogEntry;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstancesTest {

    FakeServer server;
    GnomonClient client;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
        client = GnomonClient.builder().baseUrl(server.url() + "/").build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listRepeatsStateAndLeavesOutAbsentCriteria() {
        server.respond("GET", "/api/v1/instances", 200, "{\"items\":[],\"total\":0,\"offset\":0,\"limit\":20}");

        client.instances().list(InstanceQuery.all().withApp("billing").withStates(TIMED_OUT, FAILED).withLimit(20));

        assertThat(server.last().query()).isEqualTo("app=billing&state=FAILED&state=TIMED_OUT&limit=20");
        assertThat(server.last().header("Authorization")).isNull();
    }

    @Test
    void stopAndRetryPostToTheInstance() {
        server.respond("POST", "/api/v1/instances/900/stop", 200, JobsTest.INSTANCE)
            .respond("POST", "/api/v1/instances/900/retry", 201, JobsTest.INSTANCE.replace("\"API\"", "\"MANUAL_RETRY\""));

        client.instances().stop(900);
        var retried = client.instances().retry(900);

        assertThat(retried.trigger().name()).isEqualTo("MANUAL_RETRY");
        assertThat(server.requests()).extracting(FakeServer.Request::path)
            .containsExactly("/api/v1/instances/900/stop", "/api/v1/instances/900/retry");
    }

    @Test
    void logReadsEntriesInOrder() {
        server.respond("GET", "/api/v1/instances/900/log", 200, """
            {"items":[{"attempt":1,"seq":1,"at":"2026-01-02T00:00:01Z","level":"INFO","text":"hello"},
                      {"attempt":1,"seq":2,"at":"2026-01-02T00:00:02Z","level":"ERROR","text":"boom"}],
             "total":2,"offset":0,"limit":500}""");

        var page = client.instances().log(900, 0, 500);

        assertThat(server.last().query()).isEqualTo("offset=0&limit=500");
        assertThat(page.items()).containsExactly(
            new LogEntry(1, 1, Instant.parse("2026-01-02T00:00:01Z"), LogLevel.INFO, "hello"),
            new LogEntry(1, 2, Instant.parse("2026-01-02T00:00:02Z"), LogLevel.ERROR, "boom"));
    }

    @Test
    void workersAndTokens() throws Exception {
        server.respond("GET", "/api/v1/workers", 200, "{\"items\":[],\"total\":0,\"offset\":0,\"limit\":50}")
            .respond("POST", "/api/v1/tokens", 201,
                "{\"id\":3,\"name\":\"ci\",\"token\":\"gn_abc\",\"createdAt\":\"2026-01-02T00:00:00Z\"}");

        client.workers().list("billing");
        var token = client.tokens().create("ci");

        assertThat(server.requests().get(0).query()).isEqualTo("app=billing");
        assertThat(token.token()).isEqualTo("gn_abc");
        assertThat(server.last().body()).isEqualTo("{\"name\":\"ci\"}");
    }

    @Test
    void healthAsksBothProbes() {
        server.respond("GET", "/healthz", 200, "text/plain", "ok")
            .respond("GET", "/readyz", 503, "text/plain", "database unreachable");

        assertThat(client.health()).isEqualTo(new Health(true, false));
    }
}
