package dev.gnomon.tests.api;

import dev.gnomon.server.api.ApiRoutes;
import dev.gnomon.server.api.Route;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's own route table. Building it only reads each route's metadata; the handlers,
 * which would need the stores, are never called here.
 */
final class RouteTable {

    /** A route as a test calls it: method and path with placeholders filled in. */
    record Call(String method, String template, String path) {
    }

    private RouteTable() {
    }

    static List<Route> routes() {
        return ApiRoutes.all(new ApiRoutes.Deps(null, null, null, null, null, null, null, null, null, Clock.systemUTC(),
            () -> { }, null, null, null, java.time.Duration.ofSeconds(6), null, null));
    }

    /** Every route plus the OpenAPI document itself, with {id} and {name} filled by values that exist nowhere. */
    static List<Call> calls() {
        List<Call> out = new ArrayList<>();
        for (Route r : routes()) {
            out.add(new Call(r.method().toUpperCase(java.util.Locale.ROOT), r.path(), fill(r.path())));
        }
        out.add(new Call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json"));
        return out;
    }

    static String fill(String template) {
        return template.replace("{id}", "987654321").replace("{name}", "no-such-app");
    }
}
