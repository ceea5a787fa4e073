package dev.gnomon.server.api;

import dev.gnomon.protocol.Json;
import dev.gnomon.server.UnavailableException;
import dev.gnomon.server.auth.Authenticator;
import dev.gnomon.server.auth.Principal;
import dev.gnomon.server.transport.HttpCommandForwarder;
import dev.gnomon.server.transport.HttpWorkerChannel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP endpoint: REST API, worker channel, health and metrics. Every route but
 * {@code /healthz}, {@code /readyz} and {@code /metrics} needs a user's credentials; the worker
 * channel authenticates with the app's secret instead. Until the server is ready, the API, the
 * worker channel and the internal commands answer 503.
 */
public final class ApiServer {

    static final String PRINCIPAL = "gnomon.principal";

    /** What the endpoint serves; built by the server's wiring. */
    public record Parts(List<Route> routes, InternalApi internal, HttpWorkerChannel channel, Authenticator auth,
                        BooleanSupplier ready,
                        Supplier<String> metrics, String version, String host, int port, long maxBodyBytes) {
    }

    private ApiServer() {
    }

    public static Javalin start(Parts parts) {
        String openApi = OpenApiDocument.of(parts.routes(), parts.version()).toPrettyString();
        Javalin app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.maxRequestSize = parts.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = parts.host();
            config.jetty.port = parts.port();
            config.jetty.modifyWebSocketServletFactory(f -> f.setMaxTextMessageSize(4L << 20));
            // the endpoint listens while the server still migrates its database and takes its
            // leases: until it is ready, calls that would need either are turned away
            config.routes.before(ctx -> refuseUntilReady(ctx, parts.ready()));
            config.routes.wsBeforeUpgrade(ctx -> refuseUntilReady(ctx, parts.ready()));
            config.routes.before("/api/*", ctx -> authenticate(ctx, parts.auth()));
            for (Route r : parts.routes()) {
                register(config.routes, r);
            }
            config.routes.post(HttpCommandForwarder.PATH, parts.internal()::handle);
            config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.get("/healthz", ctx -> ctx.result("ok"));
            config.routes.get("/readyz", ctx -> {
                boolean ready = parts.ready().getAsBoolean();
                ctx.status(ready ? 200 : 503).result(ready ? "ready" : "starting");
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(parts.metrics().get()));
            config.routes.ws(HttpWorkerChannel.PATH, parts.channel()::configure);
            config.routes.exception(Exception.class, Problems::handle);
            // Javalin maps its own HttpResponseException (such as 413 from an oversize body) to plain text
            // unless that exact class has a handler; a handler for Exception alone does not win over it.
            config.routes.exception(HttpResponseException.class, Problems::handle);
            config.routes.error(404, ctx -> {
                String body = ctx.result();
                if (body == null || !body.startsWith("{")) {
                    Problems.noRoute(ctx);
                }
            });
            config.routes.error(405, ctx -> Problems.write(ctx, 405, "Method not allowed", "method " + ctx.method()
                + " is not allowed on " + ctx.path(), null));
        });
        return app.start();
    }

    private static void register(io.javalin.config.RoutesConfig routes, Route r) {
        Handler h = r.handler();
        switch (r.method()) {
            case "get" -> routes.get(r.path(), h);
            case "post" -> routes.post(r.path(), h);
            case "put" -> routes.put(r.path(), h);
            case "delete" -> routes.delete(r.path(), h);
            default -> throw new IllegalArgumentException("unknown method " + r.method());
        }
    }

    private static void refuseUntilReady(Context ctx, BooleanSupplier ready) {
        String path = ctx.path();
        if ((path.startsWith("/api/") || path.startsWith("/internal/")) && !ready.getAsBoolean()) {
            throw new UnavailableException("the server is starting; try again in a moment");
        }
    }

    private static void authenticate(Context ctx, Authenticator auth) {
        if (ctx.path().equals(HttpWorkerChannel.PATH)) {
            return;
        }
        Principal who = auth.authenticate(ctx.header("Authorization"));
        ctx.attribute(PRINCIPAL, who);
    }
}
