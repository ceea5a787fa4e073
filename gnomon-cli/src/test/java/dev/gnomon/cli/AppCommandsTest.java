package dev.gnomon.cli;

import dev.gnomon.client.FakeServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.AppRequest;
import dev.gnomon.protocol.api.AppResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppCommandsTest {

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
    void createSendsNameAndDescriptionAndPrintsTheSecret() throws Exception {
        server.respond("POST", "/api/v1/apps", 201, "{\"app\":" + Fixtures.APP + ",\"secret\":\"s3cret\"}");

        Cli.Result result = Cli.against(server, "app", "create", "billing", "--description", "Invoices");

        assertThat(result.exit()).isZero();
        assertThat(Json.mapper().readValue(server.last().body(), AppRequest.class))
            .isEqualTo(new AppRequest("billing", "Invoices"));
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer t0k3n");
        assertThat(result.out()).contains("secret:      s3cret", "shown this once");
    }

    @Test
    void listPrintsAnAlignedTableWithUtcTimesToTheSecond() {
        server.respond("GET", "/api/v1/apps", 200, Fixtures.page(Fixtures.APP,
            Fixtures.APP.replace("\"id\":7", "\"id\":1234").replace("billing", "ops").replace("\"Invoices\"", "null")));

        Cli.Result result = Cli.against(server, "app", "list", "--limit", "2");

        assertThat(server.last().query()).isEqualTo("limit=2");
        assertThat(result.out()).isEqualTo("""
            ID    NAME     CREATED               DESCRIPTION
            7     billing  2026-01-02T03:04:05Z  Invoices
            1234  ops      2026-01-02T03:04:05Z  -
            """);
    }

    @Test
    void getWithJsonPrintsTheResource() throws Exception {
        server.respond("GET", "/api/v1/apps/billing", 200, Fixtures.APP);

        Cli.Result result = Cli.against(server, "app", "get", "billing", "--json");

        assertThat(Json.mapper().readValue(result.out(), AppResource.class).name()).isEqualTo("billing");
    }

    @Test
    void deleteWithForce() {
        server.respond("DELETE", "/api/v1/apps/billing", 204, null);

        Cli.Result result = Cli.against(server, "app", "delete", "billing", "--force");

        assertThat(result.exit()).isZero();
        assertThat(server.last().query()).isEqualTo("force=true");
        assertThat(result.out()).isEqualTo("deleted app billing\n");
    }

    @Test
    void rotateSecretAndTokenCreate() {
        server.respond("POST", "/api/v1/apps/billing/secret", 200, "{\"app\":" + Fixtures.APP + ",\"secret\":\"n3w\"}")
            .respond("POST", "/api/v1/tokens", 201, "{\"id\":3,\"name\":\"ci\",\"token\":\"gn_abc\",\"createdAt\":\"2026-01-02T00:00:00Z\"}");

        Cli.Result rotated = Cli.against(server, "app", "rotate-secret", "billing");
        Cli.Result token = Cli.against(server, "token", "create", "ci");

        assertThat(rotated.out()).contains("secret: n3w");
        assertThat(token.out()).contains("token:   gn_abc");
        assertThat(server.last().body()).isEqualTo("{\"name\":\"ci\"}");
    }
}
