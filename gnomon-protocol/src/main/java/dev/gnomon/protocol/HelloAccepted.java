package dev.gnomon.protocol;

/**
 * The server took the worker in.
 *
 * @param serverId            the server the worker is talking to
 * @param heartbeatIntervalMs how often the worker should send {@link WorkerHeartbeat}
 */
public record HelloAccepted(String serverId, long heartbeatIntervalMs) implements Message {
}
