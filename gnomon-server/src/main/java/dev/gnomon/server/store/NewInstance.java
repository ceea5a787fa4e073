package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;

/** What is needed to record a new instance. */
public record NewInstance(
    long jobId,
    InstanceState state,
    String triggerKind,
    Long scheduledAt,
    String params,
    int maxAttempts,
    String reason,
    Long retryOf,
    long now) {
}
