package dev.gnomon.server.store;

/** A stored task attempt. */
public record TaskRow(
    long id,
    long instanceId,
    long appId,
    String taskKey,
    int attempt,
    String state,
    String workerId,
    String result,
    long lastReportSeq,
    long epoch,
    Long dispatchedAt,
    Long startedAt,
    Long finishedAt,
    String params,
    Long notBefore) {

    static final String COLUMNS = "id, instance_id, app_id, task_key, attempt, state, worker_id, result,"
        + " last_report_seq, epoch, dispatched_at, started_at, finished_at, params, not_before";

    public boolean terminal() {
        return !state.equals(TaskStore.WAITING) && !state.equals(TaskStore.DISPATCHED)
            && !state.equals(TaskStore.RUNNING);
    }

    /** This attempt with another state, result, last report and times (what one write of it sets). */
    public TaskRow moved(String newState, String newResult, long seq, Long started, Long finished) {
        return new TaskRow(id, instanceId, appId, taskKey, attempt, newState, workerId, newResult, seq, epoch,
            dispatchedAt, started, finished, params, notBefore);
    }

    /** The shard index of a {@code shard-<i>} task; -1 for other tasks. */
    public int shardIndex() {
        return taskKey.startsWith(TaskStore.SHARD_PREFIX) ? Integer.parseInt(taskKey.substring(TaskStore.SHARD_PREFIX.length())) : -1;
    }
}
