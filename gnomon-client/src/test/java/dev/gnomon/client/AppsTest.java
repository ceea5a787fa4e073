package dev.gnomon.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.protocol.api.AppResource;
import dev.gnomon.protocol.api.Page;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppsTest {

    static final String APP = """
        {"id":7,"name":"billing","description":"Invoices","createdAt":"2026-01-02T03:04:05Z"}""";

    FakeServer server;
    GnomonClient client;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
        client = GnomonClient.builder().baseUrl(server.url()).token("t0k3n").build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createPostsTheRequestWithTheTokenAndReadsTheSecret() throws Exception {
        server.respond("POST", "/api/v1/apps", 201, "{\"app\":" + APP + ",\"secret\":\"s3cret\"}");

        AppCreated created = client.apps().create("billing", "Invoices");

        assertThat(created.secret()).isEqualTo("s3cret");
        assertThat(created.app()).isEqualTo(new AppResource(7, "billing", "Invoices", Instant.parse("2026-01-02T03:04:05Z")));
        FakeServer.Request request = server.last();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Authorization")).isEqualTo("Bearer t0k3n");
        assertThat(request.header("Content-type")).isEqualTo("application/json");
        JsonNode body = Json.mapper().readTree(request.body());
        assertThat(body.get("name").asText()).isEqualTo("billing");
        assertThat(body.get("description").asText()).isEqualTo("Invoices");
    }

    @Test
    void listSendsPagingAndReadsAGenericPage() {
        server.respond("GET", "/api/v1/apps", 200, "{\"items\":[" + APP + "],\"total\":41,\"offset\":20,\"limit\":1}");

        Page<AppResource> page = client.apps().list(20, 1);

        assertThat(server.last().query()).isEqualTo("offset=20&limit=1");
        assertThat(page.total()).isEqualTo(41);
        assertThat(page.items()).extracting(AppResource::name).containsExactly("billing");
    }

    @Test
    void listWithoutPagingSendsNoQuery() {
        server.respond("GET", "/api/v1/apps", 200, "{\"items\":[],\"total\":0,\"offset\":0,\"limit\":50}");

        client.apps().list(null, null);

        assertThat(server.last().query()).isNull();
    }

    @Test
    void getEncodesTheNameAsOnePathSegment() {
        server.respond("GET", "/api/v1/apps/a%20b%2Fc", 200, APP);

        client.apps().get("a b/c");

        assertThat(server.last().path()).isEqualTo("/api/v1/apps/a%20b%2Fc");
    }

    @Test
    void deleteSendsForceOnlyWhenAsked() {
        server.respond("DELETE", "/api/v1/apps/billing", 204, null);

        client.apps().delete("billing", false);
        client.apps().delete("billing", true);

        assertThat(server.requests()).extracting(FakeServer.Request::query).containsExactly(null, "force=true");
        assertThat(server.requests()).extracting(FakeServer.Request::method).containsOnly("DELETE");
    }

    @Test
    void rotateSecretPostsWithoutABody() {
        server.respond("POST", "/api/v1/apps/billing/secret", 200, "{\"app\":" + APP + ",\"secret\":\"new\"}");

        AppCreated created = client.apps().rotateSecret("billing");

        assertThat(created.secret()).isEqualTo("new");
        assertThat(server.last().body()).isEmpty();
    }
}
