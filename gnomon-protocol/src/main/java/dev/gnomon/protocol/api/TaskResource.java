package dev.gnomon.protocol.api;

import java.time.Instant;

/**
 * One attempt of one task of an instance.
 *
 * @param taskKey   the task within its instance: {@code root} (standalone), {@code shard-<i>},
 *                  {@code worker-<id>} (broadcast) or {@code post} (the broadcast post-step)
 * @param state     WAITING, DISPATCHED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED, REFUSED,
 *                  WORKER_LOST or SUPERSEDED
 * @param workerId  the worker it runs on, or is bound to; null while a shard waits for one
 * @param params    the shard's own parameter (null for other tasks)
 * @param notBefore a retry waits until then
 */
public record TaskResource(
    long id,
    long instanceId,
    String taskKey,
    int attempt,
    String state,
    String workerId,
    String result,
    String params,
    Instant dispatchedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant notBefore) {
}
