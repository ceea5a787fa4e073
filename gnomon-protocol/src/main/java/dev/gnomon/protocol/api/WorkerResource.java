package dev.gnomon.protocol.api;

import java.time.Instant;

/** A worker as the servers last saw it. */
public record WorkerResource(
    String id,
    String app,
    String host,
    String address,
    String version,
    String state,
    String serverId,
    Instant connectedAt,
    Instant lastHeartbeatAt,
    double cpuLoad,
    int cpuCount,
    long memoryUsed,
    long memoryMax,
    int runningTasks,
    int maxTasks) {
}
