package dev.gnomon.worker.task;

import dev.gnomon.protocol.TaskResult;
import java.util.List;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.worker.TaskCancelledException;
import dev.gnomon.worker.TaskContext;
import dev.gnomon.worker.TaskLogger;
import dev.gnomon.worker.log.SpoolTaskLogger;

/** The context a processor sees: the dispatch's fields, its log, and whether it was stopped. */
public final class RunningTaskContext implements TaskContext {

    private final DispatchTask task;
    private final SpoolTaskLogger logger;
    private volatile StopRequest stop;

    RunningTaskContext(DispatchTask task, SpoolTaskLogger logger) {
        this.task = task;
        this.logger = logger;
    }

    void cancel(StopRequest request) {
        stop = request;
    }

    /** The task's logger, including the raw line writer built-in processors use for process output. */
    public SpoolTaskLogger spoolLogger() {
        return logger;
    }

    @Override
    public long taskId() {
        return task.taskId();
    }

    @Override
    public int attempt() {
        return task.attempt();
    }

    @Override
    public long instanceId() {
        return task.instanceId();
    }

    @Override
    public long jobId() {
        return task.jobId();
    }

    @Override
    public String jobName() {
        return task.jobName();
    }

    @Override
    public String params() {
        return task.jobParams();
    }

    @Override
    public String instanceParams() {
        return task.instanceParams();
    }

    @Override
    public String taskKey() {
        return task.taskKey();
    }

    @Override
    public int shardIndex() {
        return task.shardIndex();
    }

    @Override
    public int shardCount() {
        return task.shardCount();
    }

    @Override
    public String shardParams() {
        return task.taskParams();
    }

    @Override
    public List<TaskResult> results() {
        return task.results();
    }

    @Override
    public TaskLogger logger() {
        return logger;
    }

    @Override
    public boolean isCancelled() {
        return stop != null;
    }

    @Override
    public void checkCancelled() {
        StopRequest s = stop;
        if (s != null) {
            throw new TaskCancelledException("task " + task.taskId() + " attempt " + task.attempt() + " was "
                + (s.phase() == dev.gnomon.protocol.TaskPhase.TIMED_OUT ? "timed out" : "stopped") + ": " + s.message());
        }
    }
}
