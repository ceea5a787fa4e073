package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/instances/{id}/refused-reports}: its answers and its errors. */
class RefusedReportsApiTest {

    @Test
    void anInstanceWithoutLateReportsListsNoneAndBadInputIsNamed() {
        try (TestServer t = TestServer.start(Map.of())) {
            t.createApp("quiet");
            long jobId = t.client().jobs().create(new JobRequest("quiet", "idle", null, true,
                "nobody", null, ScheduleSpec.api(), null, null, null, null, null)).id();
            long id = t.client().jobs().run(jobId, null).id();

            JsonNode page = RawHttp.admin(t).get("/api/v1/instances/" + id + "/refused-reports").json();
            assertThat(page.get("items")).isEmpty();
            assertThat(page.get("total").asLong()).isZero();
            assertThat(page.get("limit").asInt()).isEqualTo(100);

            String detail = assertProblem(RawHttp.admin(t).get("/api/v1/instances/987654321/refused-reports"), 404,
                null);
            assertThat(detail).contains("987654321");
            assertProblem(RawHttp.admin(t).get("/api/v1/instances/" + id + "/refused-reports?limit=0"), 400, "limit");
            assertProblem(RawHttp.anonymous(t).get("/api/v1/instances/" + id + "/refused-reports"), 401, null);
        }
    }
}
