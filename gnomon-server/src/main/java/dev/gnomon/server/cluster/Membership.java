package dev.gnomon.server.cluster;

import dev.gnomon.protocol.Endpoint;
import dev.gnomon.server.store.ServerStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers this server with its endpoints and keeps its heartbeat fresh. */
public final class Membership implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final ServerStore servers;
    private final String serverId;
    private final String version;
    private final List<Endpoint> endpoints;

    public Membership(ServerStore servers, String serverId, String version, List<Endpoint> endpoints) {
        this.servers = servers;
        this.serverId = serverId;
        this.version = version;
        this.endpoints = List.copyOf(endpoints);
    }

    public void register() {
        servers.register(serverId, version, endpoints);
        LOG.info("server {} registered with endpoints {}", serverId, endpoints);
    }

    @Override
    public void run() {
        try {
            servers.heartbeat(serverId);
        } catch (RuntimeException e) {
            LOG.warn("server heartbeat failed; will try again: {}", e.toString());
        }
    }

    public void leave() {
        try {
            servers.remove(serverId);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove server {} from the cluster table: {}", serverId, e.toString());
        }
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }
}
