package dev.gnomon.protocol;

/**
 * How one task of an instance ended, as a post-step sees it.
 *
 * @param taskKey  the task's key within the instance, such as {@code worker-w1} or {@code shard-3}
 * @param workerId the worker that ran it
 * @param state    the task's final state: SUCCEEDED, FAILED, TIMED_OUT, STOPPED, REFUSED or WORKER_LOST
 * @param result   what the processor returned, or why it ended
 */
public record TaskResult(String taskKey, String workerId, String state, String result) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(state);
    }
}
