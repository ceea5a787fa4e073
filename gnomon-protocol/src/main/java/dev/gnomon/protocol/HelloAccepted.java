package dev.gnomon.protocol;

/**
 * The server took the worker in.
 *
 * @param serverId            the server the worker is talking to
 * @param heartbeatIntervalMs how often the worker should send {@link WorkerHeartbeat}
 * @param bundles             whether the server reads {@link Bundle}s (absent, from an earlier
 *                            server: false)
 */
public record HelloAccepted(String serverId, long heartbeatIntervalMs, Boolean bundles) implements Message {

    public HelloAccepted {
        bundles = Boolean.TRUE.equals(bundles);
    }

    /** An answer from a server that reads one message per frame only. */
    public HelloAccepted(String serverId, long heartbeatIntervalMs) {
        this(serverId, heartbeatIntervalMs, false);
    }
}
