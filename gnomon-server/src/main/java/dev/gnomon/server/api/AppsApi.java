package dev.gnomon.server.api;

import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.protocol.api.AppRequest;
import dev.gnomon.protocol.api.AppResource;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.server.ConflictException;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.auth.Secrets;
import dev.gnomon.server.store.AppRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.JobStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** {@code /api/v1/apps}: namespaces of jobs and workers, each with a secret. */
final class AppsApi {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final AppStore apps;
    private final JobStore jobs;
    private final Clock clock;
    private final Runnable leasesChanged;

    AppsApi(AppStore apps, JobStore jobs, Clock clock, Runnable leasesChanged) {
        this.apps = apps;
        this.jobs = jobs;
        this.clock = clock;
        this.leasesChanged = leasesChanged;
    }

    List<Route> routes() {
        return List.of(
            Route.post("/api/v1/apps", "Create an app; the answer holds its secret, shown this once", 201,
                AppRequest.class, AppCreated.class, this::create),
            Route.get("/api/v1/apps", "List apps", Types.page(AppResource.class), List.of("offset", "limit"), this::list),
            Route.get("/api/v1/apps/{name}", "Get an app", AppResource.class, List.of(), this::get),
            Route.delete("/api/v1/apps/{name}", "Delete an app; with force=true also its jobs, instances and logs",
                List.of("force"), this::delete),
            Route.post("/api/v1/apps/{name}/secret", "Replace the app's secret; the old one stops working", 200,
                null, AppCreated.class, this::rotate));
    }

    private void create(Context ctx) {
        AppRequest req = Bodies.read(ctx, AppRequest.class);
        if (req.name() == null || !NAME.matcher(req.name()).matches()) {
            throw new InvalidInputException("name", "app name must be 1-64 letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit");
        }
        if (req.description() != null && req.description().length() > 1000) {
            throw new InvalidInputException("description", "description is longer than 1000 characters");
        }
        String secret = Secrets.token("gns_");
        AppRow row = apps.create(req.name(), req.description(), Secrets.sha256(secret), clock.millis());
        leasesChanged.run();
        ctx.status(201).json(new AppCreated(resource(row), secret));
    }

    private void list(Context ctx) {
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 50, 1, 1000);
        ctx.json(new Page<>(apps.list(offset, limit).stream().map(AppsApi::resource).toList(), apps.count(), offset,
            limit));
    }

    private void get(Context ctx) {
        ctx.json(resource(apps.get(ctx.pathParam("name"))));
    }

    private void delete(Context ctx) {
        AppRow app = apps.get(ctx.pathParam("name"));
        long jobCount = jobs.count(app.id());
        if (jobCount > 0 && !"true".equalsIgnoreCase(ctx.queryParam("force"))) {
            throw new ConflictException("app '" + app.name() + "' has " + jobCount + " jobs; delete them first or"
                + " call again with force=true to delete them with the app");
        }
        apps.delete(app.id());
        ctx.status(204);
    }

    private void rotate(Context ctx) {
        AppRow app = apps.get(ctx.pathParam("name"));
        String secret = Secrets.token("gns_");
        apps.updateSecret(app.id(), Secrets.sha256(secret));
        ctx.json(new AppCreated(resource(app), secret));
    }

    static AppResource resource(AppRow row) {
        return new AppResource(row.id(), row.name(), row.description(), Instant.ofEpochMilli(row.createdAt()));
    }
}
