package dev.gnomon.tests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.server.api.Route;
import dev.gnomon.tests.TestServer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiTest {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private static TestServer t;
    private static JsonNode doc;

    @BeforeAll
    static void start() {
        t = TestServer.start();
        RawHttp.Reply reply = RawHttp.admin(t).get("/api/v1/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        doc = reply.json();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
        assertThat(doc.path("components").path("securitySchemes").has("basic")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("token")).isTrue();
    }

    @Test
    void everyRouteOfTheServerIsDocumentedWithItsMethodParametersAndStatus() {
        List<Route> routes = RouteTable.routes();
        assertThat(routes).hasSizeGreaterThanOrEqualTo(20);
        for (Route r : routes) {
            JsonNode op = doc.path("paths").path(r.path()).path(r.method());
            assertThat(op.isObject()).as("%s %s in the document", r.method(), r.path()).isTrue();
            assertThat(op.path("responses").has(String.valueOf(r.status())))
                .as("%s %s documents its %s", r.method(), r.path(), r.status()).isTrue();
            Matcher m = PATH_PARAM.matcher(r.path());
            while (m.find()) {
                String name = m.group(1);
                boolean declared = false;
                for (JsonNode p : op.path("parameters")) {
                    declared |= p.path("name").asText().equals(name) && p.path("in").asText().equals("path");
                }
                assertThat(declared).as("%s %s declares path parameter %s", r.method(), r.path(), name).isTrue();
            }
            for (String q : r.query()) {
                boolean declared = false;
                for (JsonNode p : op.path("parameters")) {
                    declared |= p.path("name").asText().equals(q) && p.path("in").asText().equals("query");
                }
                assertThat(declared).as("%s %s declares query parameter %s", r.method(), r.path(), q).isTrue();
            }
        }
        int operations = 0;
        for (JsonNode path : doc.path("paths")) {
            operations += path.size();
        }
        assertThat(operations).as("operations in the document").isEqualTo(routes.size());
    }

    @Test
    void everyDocumentedOperationIsServed() {
        RawHttp admin = RawHttp.admin(t);
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        List<String> checked = new ArrayList<>();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<String> methods = path.getValue().fieldNames();
            while (methods.hasNext()) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                String url = RouteTable.fill(path.getKey());
                String body = method.equals("POST") || method.equals("PUT") ? "{}" : null;
                RawHttp.Reply reply = admin.send(method, url, body);
                String what = method + " " + url + " -> " + reply;
                assertThat(reply.status()).as(what).isNotIn(401, 405).isLessThan(500);
                if (reply.status() == 404) {
                    assertThat(reply.json().path("detail").asText()).as(what).doesNotContain("no route");
                }
                checked.add(method + " " + path.getKey());
            }
        }
        assertThat(checked).hasSize(RouteTable.routes().size());
        // The contrast the check above relies on: a wrong URL says "no route", a wrong method is a 405.
        assertThat(Problems.assertProblem(admin.get("/api/v1/nothing-here"), 404, null)).contains("no route")
            .contains("openapi.json");
        assertThat(Problems.assertProblem(admin.delete("/api/v1/tokens"), 405, null)).contains("DELETE");
    }

    @Test
    void everyReferencedSchemaExists() {
        JsonNode schemas = doc.path("components").path("schemas");
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/schemas/");
            assertThat(schemas.has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue();
        }
        assertThat(schemas.has("Problem")).isTrue();
        assertThat(schemas.path("JobRequest").path("properties").has("schedule")).isTrue();
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}
