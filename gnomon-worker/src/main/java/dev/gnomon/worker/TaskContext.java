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

    /** The task's key within its instance: {@code root}, {@code shard-<i>}, {@code worker-<id>} or {@code post}. */
    String taskKey();

    /** The shard this task runs, from 0; -1 when the job is not sharded. */
    int shardIndex();

    /** How many shards the instance has; 0 when the job is not sharded. */
    int shardCount();

    /** This shard's own parameter from the job's shard list (may be null). */
    String shardParams();

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
