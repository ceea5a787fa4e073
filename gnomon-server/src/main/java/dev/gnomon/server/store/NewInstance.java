package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;

/**
 * What is needed to record a new instance. {@code requestKey}, when set, is the idempotency key of
 * the run-now call that asked for it, and {@code callRow} its index among that call's instances (0
 * for a single run): a call's rows come together, the first with {@code callRow} 0.
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
    String requestKey,
    int callRow) {

    /** An instance recorded without a request key. */
    public NewInstance(long jobId, InstanceState state, String triggerKind, Long scheduledAt, String params,
                       int maxAttempts, String reason, Long retryOf, long now) {
        this(jobId, state, triggerKind, scheduledAt, params, maxAttempts, reason, retryOf, now, null, 0);
    }
}
