package dev.gnomon.server.cluster;

import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.LeaseStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, renews and gives up this server's app leases (decision 2). A lease not renewed within
 * its duration, by this server's monotonic clock, is treated as lost at once, before the
 * database says so: a paused or partitioned server stops acting on an app by itself, and the
 * epoch guard refuses whatever it still tries to write.
 */
public final class LeaseKeeper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private record Held(long epoch, long renewedNanos) {
    }

    private final LeaseStore leases;
    private final String serverId;
    private final Duration duration;
    private final LongSupplier nanoTime;
    private final OwnershipPolicy policy;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final List<LeaseListener> listeners = new CopyOnWriteArrayList<>();

    public LeaseKeeper(LeaseStore leases, String serverId, Duration duration, LongSupplier nanoTime,
                       OwnershipPolicy policy) {
        this.leases = leases;
        this.serverId = serverId;
        this.duration = duration;
        this.nanoTime = nanoTime;
        this.policy = policy;
    }

    public void addListener(LeaseListener listener) {
        listeners.add(listener);
    }

    /** One round: renew what is held, hand over what belongs elsewhere, take what should be ours. */
    @Override
    public synchronized void run() {
        try {
            policy.refresh();
            renewAll();
            handOver();
            acquireFree();
        } catch (RuntimeException e) {
            LOG.warn("lease round failed; will try again: {}", e.toString());
            expireStale();
        }
    }

    private void renewAll() {
        long started = nanoTime.getAsLong();
        Map<Long, Long> stored = leases.renewAll(serverId, duration.toMillis());
        for (Map.Entry<Long, Held> e : Map.copyOf(held).entrySet()) {
            Long epoch = stored.get(e.getKey());
            if (epoch != null && epoch == e.getValue().epoch()) {
                held.put(e.getKey(), new Held(epoch, started));
            } else {
                lose(e.getKey(), e.getValue().epoch(), "another server took it or it was released");
            }
        }
        expireStale();
    }

    /** Gives up apps the placement gives to another live server; that server takes them next. */
    private void handOver() {
        for (Map.Entry<Long, Held> e : Map.copyOf(held).entrySet()) {
            Optional<String> preferred = policy.preferredOwner(e.getKey());
            if (preferred.isPresent() && !preferred.get().equals(serverId)) {
                leases.release(e.getKey(), serverId, e.getValue().epoch());
                lose(e.getKey(), e.getValue().epoch(), "handed over to " + preferred.get());
            }
        }
    }

    private void expireStale() {
        long now = nanoTime.getAsLong();
        held.forEach((appId, h) -> {
            if (now - h.renewedNanos() >= duration.toNanos()) {
                lose(appId, h.epoch(), "not renewed within " + duration.toMillis() + " ms");
            }
        });
    }

    private void acquireFree() {
        for (long appId : leases.free(serverId)) {
            if (held.containsKey(appId) || !policy.preferredOwner(appId).map(serverId::equals).orElse(false)) {
                continue;
            }
            long started = nanoTime.getAsLong();
            OptionalLong epoch = leases.tryAcquire(appId, serverId, duration.toMillis());
            if (epoch.isPresent()) {
                held.put(appId, new Held(epoch.getAsLong(), started));
                LOG.info("now own app {} at epoch {}", appId, epoch.getAsLong());
                listeners.forEach(l -> l.acquired(appId, epoch.getAsLong()));
            }
        }
    }

    private void lose(long appId, long epoch, String why) {
        if (held.remove(appId) != null) {
            LOG.warn("lost the lease of app {} at epoch {} ({}); stopped scheduling it", appId, epoch, why);
            listeners.forEach(l -> l.lost(appId, epoch));
        }
    }

    /** The fence to write under, while this server holds the app's lease and it is fresh. */
    public Optional<Fence> fence(long appId) {
        Held h = held.get(appId);
        if (h == null || nanoTime.getAsLong() - h.renewedNanos() >= duration.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(new Fence(appId, serverId, h.epoch()));
    }

    public Set<Long> owned() {
        return Set.copyOf(held.keySet());
    }

    public String serverId() {
        return serverId;
    }

    /** Gives every lease up, for a clean shutdown: another server can take over at once. */
    public synchronized void releaseAll() {
        for (Map.Entry<Long, Held> e : Map.copyOf(held).entrySet()) {
            try {
                leases.release(e.getKey(), serverId, e.getValue().epoch());
            } catch (RuntimeException ex) {
                LOG.warn("cannot release lease of app {}: {}", e.getKey(), ex.toString());
            }
            lose(e.getKey(), e.getValue().epoch(), "server stopping");
        }
    }
}
