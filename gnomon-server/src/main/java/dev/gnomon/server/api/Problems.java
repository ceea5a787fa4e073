package dev.gnomon.server.api;

import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.Problem;
import dev.gnomon.server.GnomonException;
import dev.gnomon.server.store.FencedException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where errors become HTTP answers: RFC 9457 problem+json with a real status. */
final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    static void handle(Exception e, Context ctx) {
        if (e instanceof GnomonException g) {
            write(ctx, g.status(), g.title(), g.getMessage(), g.field());
            if (g.retryable()) {
                ctx.header("Retry-After", "2");
            }
        } else if (e instanceof FencedException f) {
            write(ctx, 503, "Service unavailable", "ownership of the app moved while the call ran; try again", null);
            ctx.header("Retry-After", "2");
        } else if (e instanceof HttpResponseException h && h.getStatus() == 404) {
            noRoute(ctx);
        } else if (e instanceof HttpResponseException h && h.getStatus() == 413) {
            write(ctx, 413, title(413), "the request body is larger than this server accepts; the limit is the"
                + " setting gnomon.http.max-body-size", "body");
        } else if (e instanceof HttpResponseException h) {
            write(ctx, h.getStatus(), title(h.getStatus()), h.getMessage(), null);
        } else {
            String id = UUID.randomUUID().toString();
            LOG.error("internal error {} on {} {}", id, ctx.method(), ctx.path(), e);
            write(ctx, 500, "Internal error", "the server failed to handle this call; the server log has the"
                + " details under id " + id, null);
        }
    }

    /** Javalin found no handler: unlike a missing resource, this is a wrong URL or method. */
    static void noRoute(Context ctx) {
        write(ctx, 404, "Not found", "no route " + ctx.method() + " " + ctx.path()
            + "; the API is described at /api/v1/openapi.json", null);
    }

    static void write(Context ctx, int status, String title, String detail, String field) {
        String type = "urn:gnomon:problem:" + title.toLowerCase(Locale.ROOT).replace(' ', '-');
        Problem problem = new Problem(type, title, status, detail, ctx.path(), field);
        ctx.status(status);
        try {
            ctx.result(Json.mapper().writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            ctx.result("{\"status\":" + status + "}");
        }
        ctx.contentType(CONTENT_TYPE);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Request too large";
            case 415 -> "Unsupported media type";
            case 503 -> "Service unavailable";
            default -> status >= 500 ? "Server error" : "Request error";
        };
    }
}
