package dev.gnomon.server.api;

import dev.gnomon.protocol.api.ClusterResource;
import dev.gnomon.protocol.api.OwnedApp;
import dev.gnomon.protocol.api.ServerResource;
import dev.gnomon.server.store.AppRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.Database;
import dev.gnomon.server.store.LeaseStore;
import dev.gnomon.server.store.ServerStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/v1/cluster}: servers with their endpoints, heartbeat age and the apps they own. */
final class ClusterApi {

    private final ServerStore servers;
    private final LeaseStore leases;
    private final AppStore apps;
    private final Database db;
    private final Duration serverTimeout;

    ClusterApi(ServerStore servers, LeaseStore leases, AppStore apps, Database db, Duration serverTimeout) {
        this.servers = servers;
        this.leases = leases;
        this.apps = apps;
        this.db = db;
        this.serverTimeout = serverTimeout;
    }

    List<Route> routes() {
        return List.of(Route.get("/api/v1/cluster", "Servers of the cluster, their endpoints and the apps each owns",
            ClusterResource.class, List.of(), this::view));
    }

    private void view(Context ctx) {
        long now = db.nowMillis();
        List<LeaseStore.Lease> all = leases.all();
        List<ServerResource> out = new ArrayList<>();
        for (ServerStore.ServerRow s : servers.all()) {
            List<OwnedApp> owned = all.stream()
                .filter(l -> s.id().equals(l.ownerId()) && l.expiresAt() > now)
                .map(l -> new OwnedApp(apps.byId(l.appId()).map(AppRow::name).orElse("#" + l.appId()), l.epoch(),
                    l.expiresAt() - now))
                .toList();
            out.add(new ServerResource(s.id(), s.version(), Instant.ofEpochMilli(s.startedAt()), s.heartbeatAgeMs(),
                s.heartbeatAgeMs() < serverTimeout.toMillis(), servers.endpoints(s.id()), owned));
        }
        ctx.json(new ClusterResource(out));
    }
}
