package dev.gnomon.protocol.api;

import java.time.Instant;

/**
 * One run of a job.
 *
 * @param attempt      the current attempt, from 1
 * @param maxAttempts  1 + the job's retries
 * @param reason       why it waits or how it ended, for people
 */
public record InstanceResource(
    long id,
    long jobId,
    String jobName,
    String app,
    InstanceState state,
    TriggerKind trigger,
    Instant scheduledAt,
    String params,
    int attempt,
    int maxAttempts,
    String workerId,
    String result,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant nextAttemptAt) {
}
