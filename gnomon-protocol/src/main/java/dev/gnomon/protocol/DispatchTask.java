package dev.gnomon.protocol;

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
    long timeoutMs) implements Message {

    public TaskRef ref() {
        return new TaskRef(taskId, attempt);
    }
}
