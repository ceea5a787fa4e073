package dev.gnomon.client;

import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.WorkerResource;

/** Workers as the servers last saw them. Obtained from {@link GnomonClient#workers()}. */
public final class Workers {

    private final Http http;

    Workers(Http http) {
        this.http = http;
    }

    /** The workers of one app, or of every app when {@code app} is {@code null}. */
    public Page<WorkerResource> list(String app) {
        String path = Paths.of("workers").query("app", app).toString();
        return http.call("GET", path, null, http.pageOf(WorkerResource.class));
    }
}
