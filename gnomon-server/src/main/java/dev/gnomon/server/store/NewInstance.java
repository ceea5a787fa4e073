package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;

/**
 * What is needed to record a new instance. {@code requestKey}, when set, is the run-now call's
 * idempotency key (for one instance of a batch: the key, '#' and its index); no two instances of a
 * job share one.
 */
public record NewInstance(
    long jobId,
    InstanceState state,
    String triggerKind,
    Long scheduledAt,
    String params,
    int maxAttempts,
    String reason,
    Long retryOf,
    long now,
    String requestKey) {

    /** An instance recorded without a request key. */
    public NewInstance(long jobId, InstanceState state, String triggerKind, Long scheduledAt, String params,
                       int maxAttempts, String reason, Long retryOf, long now) {
        this(jobId, state, triggerKind, scheduledAt, params, maxAttempts, reason, retryOf, now, null);
    }
}
