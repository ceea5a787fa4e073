package dev.gnomon.worker;

import dev.gnomon.protocol.TaskResult;
import java.util.List;

/** What a processor knows about the task attempt it runs, and its handle on the task's log. */
public interface TaskContext {

    /** The task. */
    long taskId();

    /** Attempt number, from 1: a task dispatched again after a lost worker has a higher number. */
    int attempt();

    /** The instance (one run of the job) the task belongs to. */
    long instanceId();

    /** The job. */
    long jobId();

    /** The job's name. */
    String jobName();

    /** The job's parameters (may be null). */
    String params();

    /** Parameters given to this instance when it was triggered (may be null). */
    String instanceParams();

    /**
     * The task's key within its instance: {@code root}, {@code shard-<i>}, {@code worker-<id>}, {@code post},
     * {@code reduce}, or {@code <name>-<parentTaskId>-<i>} for the i-th sub-task a task emitted as {@code name}.
     */
    String taskKey();

    /** The shard this task runs, from 0; -1 when the job is not sharded. */
    int shardIndex();

    /** How many shards the instance has; 0 when the job is not sharded. */
    int shardCount();

    /** This shard's own parameter from the job's shard list (may be null). */
    String shardParams();

    /**
     * Emits sub-tasks (MAP and MAP_REDUCE jobs): one per item, in group {@code name}, to run on any
     * allowed worker. Items are strings, or objects written as JSON; a sub-task reads its own with
     * {@link #item()} and may emit again. Batches of up to 1,000 items go to the server one at a
     * time; this returns once the server stored every batch.
     *
     * @param name 1-64 letters, digits or '_', starting with a letter; not root, shard, worker, post or reduce
     * @throws IllegalArgumentException for a bad name or item
     * @throws IllegalStateException when the server refused a batch or did not store it within 2 minutes
     * @throws TaskCancelledException when the task was stopped meanwhile
     */
    void map(List<?> items, String name);

    /** For a sub-task: the item it was emitted with; null for other tasks. */
    String item();

    /** For a sub-task: its item read as JSON into {@code type}. */
    <T> T item(Class<T> type);

    /**
     * For the reduce step of a MAP_REDUCE job: the result of every sub-task (every task but the
     * root), each once, read from the server 1,000 at a time as the loop goes on, so that
     * millions of results never have to fit in memory. Each iteration starts from the first.
     *
     * @throws IllegalStateException when this task is not a reduce step, or, while iterating, when
     *                               the server refuses or does not answer within 2 minutes
     * @throws TaskCancelledException while iterating, when the task was stopped
     */
    Iterable<TaskResult> subTaskResults();

    /** For a broadcast post-step: how each worker's task ended; empty otherwise. */
    List<TaskResult> results();

    /** The task's log: lines written here are shipped to the server and shown with the instance. */
    TaskLogger logger();

    /** True once the task was asked to stop or ran past its timeout. */
    boolean isCancelled();

    /**
     * Returns quietly while the task may go on.
     *
     * @throws TaskCancelledException when the task was stopped or timed out
     */
    void checkCancelled();
}
