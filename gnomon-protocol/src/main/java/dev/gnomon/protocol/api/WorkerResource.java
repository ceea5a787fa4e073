package dev.gnomon.protocol.api;

import java.time.Instant;

/** A worker as the servers last saw it; {@code tags} are the labels a job's selection can ask for. */
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
    int maxTasks,
    java.util.List<String> tags) {
}
