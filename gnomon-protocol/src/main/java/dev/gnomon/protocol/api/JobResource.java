package dev.gnomon.protocol.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

public record JobResource(
    long id,
    String app,
    String name,
    String description,
    boolean enabled,
    String processor,
    String params,
    ScheduleSpec schedule,
    ExecutionMode mode,
    int maxConcurrent,
    OverlapPolicy overlap,
    RetrySpec retry,
    Duration timeout,
    Instant nextFireAt,
    Instant createdAt,
    Instant updatedAt,
    WorkerSelection selection,
    List<String> shards,
    BroadcastSpec broadcast) {
}
