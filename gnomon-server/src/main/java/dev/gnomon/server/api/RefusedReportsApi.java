package dev.gnomon.server.api;

import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.RefusedReport;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.RefusedReportStore;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/instances/{id}/refused-reports}: what workers said too late to count. */
final class RefusedReportsApi {

    private final InstanceStore instances;
    private final RefusedReportStore refused;

    RefusedReportsApi(InstanceStore instances, RefusedReportStore refused) {
        this.instances = instances;
        this.refused = refused;
    }

    List<Route> routes() {
        return List.of(Route.get("/api/v1/instances/{id}/refused-reports",
            "Reports workers sent about attempts of the instance that had already ended or been replaced, such as"
                + " the late result of a worker declared lost; acknowledged, kept here, never applied",
            Types.page(RefusedReport.class), List.of("offset", "limit"), this::list));
    }

    private void list(Context ctx) {
        long id = Bodies.idParam(ctx, "id");
        instances.get(id);
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
        ctx.json(new Page<>(refused.ofInstance(id, offset, limit), refused.count(id), offset, limit));
    }
}
