package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;

/** A stored instance. Instants are epoch milliseconds; nullable columns are boxed. */
public record InstanceRow(
    long id,
    long appId,
    long jobId,
    InstanceState state,
    String triggerKind,
    Long scheduledAt,
    String params,
    int attempt,
    int maxAttempts,
    String workerId,
    String result,
    String reason,
    String ownerId,
    long epoch,
    Long retryOf,
    long createdAt,
    Long startedAt,
    Long finishedAt,
    Long nextAttemptAt,
    long updatedAt) {

    static final String COLUMNS = "id, app_id, job_id, state, trigger_kind, scheduled_at, params, attempt,"
        + " max_attempts, worker_id, result, reason, owner_id, epoch, retry_of, created_at, started_at,"
        + " finished_at, next_attempt_at, updated_at";
}
