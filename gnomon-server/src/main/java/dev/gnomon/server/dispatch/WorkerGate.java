package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.HelloRejected;
import dev.gnomon.protocol.Redirect;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.server.auth.Secrets;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.store.AppRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.LeaseStore;
import dev.gnomon.server.store.ServerStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a worker in: the app must exist, the secret must match, and this server must own the
 * app; otherwise the worker is told where the owner is (decision 4).
 */
public final class WorkerGate {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerGate.class);

    private final AppStore apps;
    private final LeaseKeeper leases;
    private final LeaseStore leaseStore;
    private final ServerStore servers;
    private final WorkerHub hub;
    private final Duration heartbeat;
    private volatile List<Endpoint> own = List.of();

    public WorkerGate(AppStore apps, LeaseKeeper leases, LeaseStore leaseStore, ServerStore servers, WorkerHub hub,
                      Duration heartbeat) {
        this.apps = apps;
        this.leases = leases;
        this.leaseStore = leaseStore;
        this.servers = servers;
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    /** This server's own endpoints: a redirect never points back at them. */
    public void ownEndpoints(List<Endpoint> endpoints) {
        this.own = List.copyOf(endpoints);
    }

    /** Admits the worker and returns its session, or answers it and returns empty. */
    public Optional<WorkerSession> admit(WorkerHello hello, WorkerLink link) {
        Optional<AppRow> app = Optional.ofNullable(hello.app()).flatMap(apps::find);
        if (app.isEmpty()) {
            return refuse(link, hello, "no app named '" + hello.app() + "' on this cluster; create it first"
                + " (gnomon app create " + hello.app() + ")", false);
        }
        if (hello.secret() == null || !Secrets.same(Secrets.sha256(hello.secret()), app.get().secretHash())) {
            return refuse(link, hello, "wrong secret for app '" + hello.app() + "'", false);
        }
        if (hello.workerId() == null || hello.workerId().isBlank() || hello.workerId().length() > 128) {
            return refuse(link, hello, "worker id must be 1-128 characters", false);
        }
        long appId = app.get().id();
        if (leases.fence(appId).isEmpty()) {
            leases.run();
        }
        if (leases.fence(appId).isEmpty()) {
            Optional<String> owner = leaseStore.owner(appId).filter(o -> !o.equals(leases.serverId()));
            if (owner.isPresent()) {
                List<Endpoint> endpoints = servers.endpoints(owner.get()).stream()
                    .filter(e -> !own.contains(e)).toList();
                if (!endpoints.isEmpty()) {
                    link.send(new Redirect(owner.get(), endpoints));
                    link.close("app is owned by " + owner.get());
                    return Optional.empty();
                }
            }
            return refuse(link, hello, "app '" + hello.app() + "' has no owner at the moment; try again shortly", true);
        }
        WorkerSession session = hub.connected(appId, hello, link);
        link.send(new HelloAccepted(leases.serverId(), heartbeat.toMillis(), true));
        return Optional.of(session);
    }

    private static Optional<WorkerSession> refuse(WorkerLink link, WorkerHello hello, String reason, boolean retryable) {
        LOG.warn("refused worker {} from {}: {}", hello.workerId(), link.remoteAddress(), reason);
        link.send(new HelloRejected(reason, retryable));
        link.close(reason);
        return Optional.empty();
    }
}
