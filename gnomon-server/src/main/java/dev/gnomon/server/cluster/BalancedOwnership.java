package dev.gnomon.server.cluster;

import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.ServerStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads apps evenly over the live servers with {@link Placement}. A server counts once it has
 * been seen live in two rounds in a row, so a server that flickers in and out does not make
 * apps move back and forth; this server always counts itself.
 */
public final class BalancedOwnership implements OwnershipPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(BalancedOwnership.class);

    private final ServerStore servers;
    private final AppStore apps;
    private final String serverId;
    private final Duration serverTimeout;
    private Set<String> seenBefore;
    private volatile List<String> counted = List.of();
    private volatile Map<Long, String> placement = Map.of();

    public BalancedOwnership(ServerStore servers, AppStore apps, String serverId, Duration serverTimeout) {
        this.servers = servers;
        this.apps = apps;
        this.serverId = serverId;
        this.serverTimeout = serverTimeout;
    }

    @Override
    public synchronized void refresh() {
        Set<String> live = new HashSet<>(servers.live(serverTimeout.toMillis()));
        if (seenBefore == null) {
            seenBefore = live;
        }
        Set<String> stable = new HashSet<>(live);
        stable.retainAll(seenBefore);
        stable.add(serverId);
        seenBefore = live;
        List<String> now = stable.stream().sorted().toList();
        if (!now.equals(counted)) {
            LOG.info("servers taking part in app placement: {}", now);
        }
        counted = now;
        placement = Placement.assign(apps.ids(), now);
    }

    @Override
    public Optional<String> preferredOwner(long appId) {
        return Optional.ofNullable(placement.get(appId));
    }

    /** The servers apps are placed on, as of the last round. */
    public List<String> servers() {
        return counted;
    }
}
