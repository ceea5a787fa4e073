package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.protocol.api.WorkerResource;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {

    private static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void everyApiRouteRefusesACallWithoutCredentialsAndSaysHowToAuthenticate() {
        RawHttp anonymous = RawHttp.anonymous(t);
        for (RouteTable.Call c : RouteTable.calls()) {
            String body = c.method().equals("POST") || c.method().equals("PUT") ? "{}" : null;
            RawHttp.Reply reply = anonymous.send(c.method(), c.path(), body);
            String detail = assertProblem(reply, 401, null);
            assertThat(detail).as("%s %s", c.method(), c.path()).contains("Authorization").contains("Bearer")
                .contains("curl -u");
        }
    }

    @Test
    void aWrongPasswordOrUnknownUserIsRefused() {
        assertProblem(RawHttp.basic(t, "admin", "not-the-password").get("/api/v1/apps"), 401, null);
        assertProblem(RawHttp.basic(t, "nobody", TestServer.ADMIN_PASSWORD).get("/api/v1/apps"), 401, null);
    }

    @Test
    void httpBasicWithTheAdminPasswordIsAccepted() {
        RawHttp.Reply reply = RawHttp.admin(t).get("/api/v1/apps");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().has("items")).isTrue();
    }

    @Test
    void aCreatedTokenWorksAsBearerAndAWrongTokenIsRefused() {
        RawHttp.Reply created = RawHttp.admin(t).post("/api/v1/tokens", "{\"name\":\"ci\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().path("token").asText();
        assertThat(token).isNotBlank();
        assertThat(created.json().path("name").asText()).isEqualTo("ci");

        RawHttp.Reply withToken = RawHttp.bearer(t, token).get("/api/v1/jobs");
        assertThat(withToken.status()).as("%s", withToken).isEqualTo(200);

        String detail = assertProblem(RawHttp.bearer(t, token + "x").get("/api/v1/jobs"), 401, null);
        assertThat(detail).contains("token");
        assertProblem(RawHttp.bearer(t, "gnt_made-up").get("/api/v1/jobs"), 401, null);
    }

    @Test
    void healthReadinessAndMetricsAnswerWithoutCredentials() {
        RawHttp anonymous = RawHttp.anonymous(t);
        RawHttp.Reply health = anonymous.get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(anonymous.get("/readyz").status()).isEqualTo(200);

        RawHttp.Reply metrics = anonymous.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body().lines()).anyMatch(l -> l.startsWith("jvm_"));
        assertThat(metrics.body().lines()).anyMatch(l -> l.startsWith("gnomon_"));
        assertThat(metrics.body().lines()).anyMatch(l -> l.startsWith("# TYPE "));
    }

    @Test
    void passwordsAndTokensAreStoredOnlyAsHashes() {
        String token = RawHttp.admin(t).post("/api/v1/tokens", "{\"name\":\"hash-check\"}").json().path("token").asText();
        var jdbi = t.server().database().jdbi();
        String passwordHash = jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE name = 'admin'")
            .mapTo(String.class).one());
        assertThat(passwordHash).doesNotContain(TestServer.ADMIN_PASSWORD).startsWith("pbkdf2-sha256$");
        String tokenHash = jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM api_tokens WHERE name = 'hash-check'")
            .mapTo(String.class).one());
        assertThat(tokenHash).isNotEqualTo(token).doesNotContain(token.substring(4));
        long plain = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_tokens WHERE token_hash = :t")
            .bind("t", token).mapTo(Long.class).one());
        assertThat(plain).isZero();
    }

    @Test
    void aWorkerWithAWrongSecretIsRefusedAndNeverListed() throws Exception {
        String secret = t.createApp("auth-app");
        try (GnomonWorker w = GnomonWorker.builder().servers(t.url()).app("auth-app").secret(secret + "wrong")
            .workerId("intruder").processor("echo", ctx -> Result.success()).build()) {
            w.start();
            assertThat(w.awaitConnected(Duration.ofSeconds(3))).isFalse();
            assertThat(w.isConnected()).isFalse();
            assertThat(t.client().workers().list("auth-app").items()).extracting(WorkerResource::id)
                .doesNotContain("intruder");
            assertThat(t.client().workers().list(null).items()).extracting(WorkerResource::id)
                .doesNotContain("intruder");
        }
        JsonNode workers = RawHttp.admin(t).get("/api/v1/workers").json();
        assertThat(workers.path("total").asLong()).isZero();
    }
}
