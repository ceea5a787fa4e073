package dev.gnomon.server.cluster;

/** The instance a command made or changed. */
public record CommandResult(long instanceId) {
}
