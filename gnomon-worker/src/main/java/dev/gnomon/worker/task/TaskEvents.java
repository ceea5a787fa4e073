package dev.gnomon.worker.task;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;

/** What a running task tells the runner: it started, it ended, its thread is free again. */
interface TaskEvents {

    TaskReport started(DispatchTask task);

    TaskReport finished(DispatchTask task, TaskPhase phase, String message);

    void released(TaskExecution execution);
}
