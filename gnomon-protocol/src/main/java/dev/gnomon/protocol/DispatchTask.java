package dev.gnomon.protocol;

import java.util.List;

/**
 * Run one attempt of one task. A worker that gets the same (taskId, attempt) twice runs it once
 * and reports again what it has.
 *
 * @param taskId         the task
 * @param attempt        attempt number, starting at 1; the processor sees it
 * @param instanceId     the instance the task belongs to
 * @param jobId          the job
 * @param jobName        the job's name, for logs
 * @param processor      processor name: a registered Java processor or a built-in such as {@code shell}
 * @param jobParams      the job's parameters (may be null)
 * @param instanceParams parameters given to this instance when it was triggered (may be null)
 * @param timeoutMs      how long the task may run before the worker stops it; 0 for no limit
 * @param kind           what the processor is asked to do
 * @param taskKey        the task's key within the instance: {@code root}, {@code shard-<i>}, {@code worker-<id>}, {@code post}
 * @param shardIndex     the shard this task runs, from 0; -1 when the job is not sharded
 * @param shardCount     how many shards the instance has; 0 when the job is not sharded
 * @param taskParams     the shard's own parameter (may be null)
 * @param results        for a post-step: how each task of the instance ended; empty otherwise
 */
public record DispatchTask(
    long taskId,
    int attempt,
    long instanceId,
    long jobId,
    String jobName,
    String processor,
    String jobParams,
    String instanceParams,
    long timeoutMs,
    TaskKind kind,
    String taskKey,
    Integer shardIndex,
    Integer shardCount,
    String taskParams,
    List<TaskResult> results) implements Message {

    public DispatchTask {
        kind = kind == null ? TaskKind.PROCESS : kind;
        taskKey = taskKey == null ? "root" : taskKey;
        // absent when a server of an earlier version sent it
        shardIndex = shardIndex == null ? -1 : shardIndex;
        shardCount = shardCount == null ? 0 : shardCount;
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** A standalone task: the processor runs once, with no shard and no results. */
    public DispatchTask(long taskId, int attempt, long instanceId, long jobId, String jobName, String processor,
                        String jobParams, String instanceParams, long timeoutMs) {
        this(taskId, attempt, instanceId, jobId, jobName, processor, jobParams, instanceParams, timeoutMs,
            TaskKind.PROCESS, "root", -1, 0, null, List.of());
    }

    public TaskRef ref() {
        return new TaskRef(taskId, attempt);
    }
}
