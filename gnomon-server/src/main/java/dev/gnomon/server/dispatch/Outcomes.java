package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.server.job.JobModes;
import java.time.Instant;
import java.util.EnumSet;
import org.jdbi.v3.core.Handle;

/** Decides what an instance becomes when an attempt ends: done, or waiting for a retry. */
final class Outcomes {

    private final InstanceStore instances;
    private final TaskOutcomes taskOutcomes;

    Outcomes(InstanceStore instances, TaskStore tasks) {
        this.instances = instances;
        this.taskOutcomes = new TaskOutcomes(instances, tasks);
    }

    /**
     * Applies the end of one task: for a standalone job the instance's attempt ends with it; for
     * the other modes the task may be tried again, and the instance ends with its last task.
     */
    InstanceState taskEnded(Handle h, Fence fence, InstanceRow inst, JobRow job, TaskRow task, AttemptEnd end,
                            String message, long now) {
        if (JobModes.mode(job) == ExecutionMode.STANDALONE) {
            return attemptEnded(h, fence, inst, job, end, message, now);
        }
        return taskOutcomes.taskEnded(h, fence, inst, job, task, end, message, now);
    }

    /** The next attempt of a task of a many-task instance, when it is tried again; see {@link TaskOutcomes#retry}. */
    static java.util.Optional<TaskStore.NewTask> retry(JobRow job, TaskRow task, AttemptEnd end, long now) {
        return TaskOutcomes.retry(job, task, end, now);
    }

    /** What the end for good of a task of a many-task instance means for it; see {@link TaskOutcomes#afterEnd}. */
    InstanceState afterEnd(Handle h, Fence fence, InstanceRow inst, JobRow job, TaskRow task, AttemptEnd end,
                           String message, long now) {
        return taskOutcomes.afterEnd(h, fence, inst, job, task, end, message, now);
    }

    /** As {@link #afterEnd}, for an ended task known by its key. */
    InstanceState afterEnd(Handle h, Fence fence, InstanceRow inst, JobRow job, String endedKey, AttemptEnd end,
                           String message, long now) {
        return taskOutcomes.afterEnd(h, fence, inst, job, endedKey, end, message, now);
    }

    /** Applies the end of the current attempt; returns the state the instance is now in. */
    InstanceState attemptEnded(Handle h, Fence fence, InstanceRow inst, JobRow job, AttemptEnd end, String message,
                               long now) {
        InstanceChange change = afterAttempt(inst, job, end, message, now);
        boolean applied = instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.DISPATCHED,
            InstanceState.RUNNING), change, now);
        return applied ? change.state() : inst.state();
    }

    /**
     * What the instance becomes when its current attempt ends this way: ended, or waiting for its
     * next attempt after the job's backoff.
     */
    static InstanceChange afterAttempt(InstanceRow inst, JobRow job, AttemptEnd end, String message, long now) {
        InstanceChange change;
        if (end == AttemptEnd.SUCCEEDED) {
            change = InstanceChange.to(InstanceState.SUCCEEDED).result(message).reason(null).finishedAt(now);
        } else if (end == AttemptEnd.STOPPED) {
            change = InstanceChange.to(InstanceState.STOPPED).result(message).finishedAt(now);
        } else if (inst.attempt() < inst.maxAttempts()) {
            long delay = RetryBackoff.delayMs(BackoffKind.valueOf(job.backoff()), job.retryDelayMs(),
                job.retryMaxDelayMs(), inst.attempt());
            long at = now + delay;
            change = InstanceChange.to(InstanceState.WAITING).attempt(inst.attempt() + 1).worker(null)
                .result(message).nextAttemptAt(at)
                .reason("attempt " + inst.attempt() + " " + describe(end) + (message == null ? "" : ": " + message)
                    + "; attempt " + (inst.attempt() + 1) + " of " + inst.maxAttempts() + " at " + Instant.ofEpochMilli(at));
        } else {
            InstanceState last = end == AttemptEnd.TIMED_OUT ? InstanceState.TIMED_OUT : InstanceState.FAILED;
            change = InstanceChange.to(last).result(message).finishedAt(now)
                .reason("attempt " + inst.attempt() + " of " + inst.maxAttempts() + " " + describe(end)
                    + (message == null ? "" : ": " + message));
        }
        return change;
    }

    static String describe(AttemptEnd end) {
        return switch (end) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case TIMED_OUT -> "timed out";
            case STOPPED -> "was stopped";
            case REFUSED -> "was refused by the worker";
            case WORKER_LOST -> "lost its worker";
        };
    }
}
