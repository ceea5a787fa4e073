package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.client.GnomonApiException;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.protocol.api.AppResource;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AppsApiTest {

    private static TestServer t;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        t = TestServer.start();
        client = t.client();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void createReturnsTheSecretOnceAndASecondCreateWithTheSameNameConflicts() {
        RawHttp.Reply created = RawHttp.admin(t).post("/api/v1/apps", "{\"name\":\"billing\",\"description\":\"pay\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.path("secret").asText()).startsWith("gns_").hasSizeGreaterThan(20);
        assertThat(body.path("app").path("name").asText()).isEqualTo("billing");
        assertThat(body.path("app").path("description").asText()).isEqualTo("pay");

        RawHttp.Reply got = RawHttp.admin(t).get("/api/v1/apps/billing");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body()).doesNotContain(body.path("secret").asText()).doesNotContain("secret");
        assertThat(got.json().path("id").asLong()).isEqualTo(body.path("app").path("id").asLong());

        long before = Requests.rows(t, "apps");
        String detail = assertProblem(RawHttp.admin(t).post("/api/v1/apps", "{\"name\":\"billing\"}"), 409, null);
        assertThat(detail).contains("billing");
        assertThat(Requests.rows(t, "apps")).isEqualTo(before);
        assertThat(client.apps().get("billing").description()).isEqualTo("pay");
    }

    @Test
    void listPagesThroughEveryApp() {
        for (int i = 0; i < 5; i++) {
            client.apps().create("page-" + i, null);
        }
        long total = client.apps().list(null, null).total();
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < total; offset += 2) {
            Page<AppResource> page = client.apps().list(offset, 2);
            assertThat(page.total()).isEqualTo(total);
            assertThat(page.offset()).isEqualTo(offset);
            assertThat(page.limit()).isEqualTo(2);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2).isNotEmpty();
            page.items().forEach(a -> seen.add(a.name()));
        }
        assertThat(seen).hasSize((int) total).doesNotHaveDuplicates()
            .contains("page-0", "page-1", "page-2", "page-3", "page-4");
        assertThat(client.apps().list((int) total, 2).items()).isEmpty();
    }

    @Test
    void getOfAnUnknownAppIs404() {
        String detail = assertProblem(RawHttp.admin(t).get("/api/v1/apps/nope-nope"), 404, null);
        assertThat(detail).contains("nope-nope").doesNotContain("no route");
    }

    @Test
    void rotatingTheSecretLocksOutTheOldOneAndAdmitsTheNewOne() throws Exception {
        String old = t.createApp("rotating");
        AppCreated rotated = client.apps().rotateSecret("rotating");
        assertThat(rotated.secret()).isNotEqualTo(old).startsWith("gns_");
        assertThat(rotated.app().name()).isEqualTo("rotating");

        try (GnomonWorker stale = GnomonWorker.builder().servers(t.url()).app("rotating").secret(old)
            .workerId("stale").processor("p", ctx -> Result.success()).build()) {
            stale.start();
            assertThat(stale.awaitConnected(Duration.ofSeconds(3))).isFalse();
        }
        GnomonWorker fresh = t.worker("rotating", rotated.secret(), b -> b.workerId("fresh")
            .processor("p", ctx -> Result.success()));
        assertThat(fresh.isConnected()).isTrue();
        assertThat(client.workers().list("rotating").items()).extracting(w -> w.id()).containsExactly("fresh");
    }

    @Test
    void deletingAnAppWithJobsNeedsForceAndThenRemovesTheJobs() {
        t.createApp("doomed");
        long jobId = client.jobs().create(Requests.apiJob("doomed", "j1", "p")).id();
        client.jobs().create(Requests.apiJob("doomed", "j2", "p"));
        long jobsBefore = Requests.rows(t, "jobs");

        String detail = assertProblem(RawHttp.admin(t).delete("/api/v1/apps/doomed"), 409, null);
        assertThat(detail).contains("2 jobs").contains("force=true");
        assertThat(client.apps().get("doomed").name()).isEqualTo("doomed");
        assertThat(Requests.rows(t, "jobs")).isEqualTo(jobsBefore);

        RawHttp.Reply forced = RawHttp.admin(t).delete("/api/v1/apps/doomed?force=true");
        assertThat(forced.status()).isEqualTo(204);
        assertThatThrownBy(() -> client.apps().get("doomed")).isInstanceOfSatisfying(GnomonApiException.class,
            e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> client.jobs().get(jobId)).isInstanceOfSatisfying(GnomonApiException.class,
            e -> assertThat(e.status()).isEqualTo(404));
        assertThat(Requests.rows(t, "jobs")).isEqualTo(jobsBefore - 2);
    }

    @Test
    void deletingAnAppWithoutJobsNeedsNoForce() {
        t.createApp("empty-app");
        client.apps().delete("empty-app", false);
        assertThatThrownBy(() -> client.apps().get("empty-app")).isInstanceOfSatisfying(GnomonApiException.class,
            e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void badNamesAreRefusedNamingTheField() {
        long before = Requests.rows(t, "apps");
        for (String body : List.of("{\"name\":\"\"}", "{\"name\":\"has space\"}", "{\"name\":\"-dash-first\"}",
            "{\"name\":\"" + "x".repeat(65) + "\"}", "{\"name\":\"slash/inside\"}", "{\"description\":\"no name\"}")) {
            String detail = assertProblem(RawHttp.admin(t).post("/api/v1/apps", body), 400, "name");
            assertThat(detail).contains("1-64");
        }
        assertThat(Requests.rows(t, "apps")).isEqualTo(before);
    }
}
