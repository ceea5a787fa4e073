package dev.gnomon.server.api;

import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.WorkerResource;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.WorkerStore;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/workers}: workers as the servers last saw them. */
final class WorkersApi {

    private final AppStore apps;
    private final JobStore jobs;
    private final WorkerStore workers;

    WorkersApi(AppStore apps, JobStore jobs, WorkerStore workers) {
        this.apps = apps;
        this.jobs = jobs;
        this.workers = workers;
    }

    List<Route> routes() {
        return List.of(Route.get("/api/v1/workers", "List workers with their last heartbeat and load",
            Types.page(WorkerResource.class), List.of("app", "offset", "limit"), this::list));
    }

    private void list(Context ctx) {
        String app = ctx.queryParam("app");
        Long appId = app == null || app.isBlank() ? null : apps.find(app)
            .orElseThrow(() -> new InvalidInputException("app", "no app named '" + app + "'")).id();
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
        Resources r = new Resources(apps, jobs);
        ctx.json(new Page<>(workers.list(appId, offset, limit).stream().map(r::worker).toList(), workers.count(appId),
            offset, limit));
    }
}
