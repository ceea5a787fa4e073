package dev.gnomon.server.store;

/** A worker as last seen by a server. */
public record WorkerRow(
    long appId,
    String id,
    String host,
    String address,
    String version,
    String processors,
    String tags,
    String state,
    String serverId,
    Long connectedAt,
    Long heartbeatAt,
    Double cpuLoad,
    Integer cpuCount,
    Long memoryUsed,
    Long memoryMax,
    Integer runningTasks,
    Integer maxTasks) {

    static final String COLUMNS = "app_id, id, host, address, version, processors, tags, state, server_id, connected_at,"
        + " heartbeat_at, cpu_load, cpu_count, memory_used, memory_max, running_tasks, max_tasks";
}
