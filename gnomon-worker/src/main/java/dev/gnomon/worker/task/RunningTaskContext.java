package dev.gnomon.worker.task;

import dev.gnomon.protocol.TaskResult;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.worker.TaskCancelledException;
import dev.gnomon.worker.TaskContext;
import dev.gnomon.worker.TaskLogger;
import dev.gnomon.worker.log.SpoolTaskLogger;

/** The context a processor sees: the dispatch's fields, its log, and whether it was stopped. */
public final class RunningTaskContext implements TaskContext {

    private final DispatchTask task;
    private final SpoolTaskLogger logger;
    private final SubTaskEmitter emitter;
    private final ResultReader reader;
    private final SubTaskEmitter.Cursor cursor = new SubTaskEmitter.Cursor();
    private volatile StopRequest stop;

    RunningTaskContext(DispatchTask task, SpoolTaskLogger logger, SubTaskEmitter emitter, ResultReader reader) {
        this.task = task;
        this.logger = logger;
        this.emitter = emitter;
        this.reader = reader;
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
    public synchronized void map(List<?> items, String name) {
        emitter.emit(task, cursor, items, name, this::isCancelled);
    }

    @Override
    public String item() {
        return MapTasks.isSubTaskKey(task.taskKey()) ? task.taskParams() : null;
    }

    @Override
    public <T> T item(Class<T> type) {
        String item = item();
        if (item == null) {
            throw new IllegalStateException("task " + task.taskKey() + " is not a sub-task; it has no item");
        }
        try {
            return Json.mapper().readValue(item, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("item of sub-task " + task.taskKey() + " is not a " + type.getName()
                + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Iterable<TaskResult> subTaskResults() {
        if (task.kind() != TaskKind.REDUCE) {
            throw new IllegalStateException("task " + task.taskKey() + " is not a reduce step; only the reduce step of"
                + " a MAP_REDUCE job reads the sub-tasks' results");
        }
        return reader.results(task, this::isCancelled);
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
