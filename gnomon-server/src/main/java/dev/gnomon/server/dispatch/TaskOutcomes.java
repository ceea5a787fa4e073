package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * What a task's end means for an instance of many tasks (sharding, broadcast). A shard that
 * failed, timed out or lost its worker is tried again, on any allowed worker, under the job's
 * retry policy; a broadcast task is bound to its worker and ends for good. The instance ends
 * when its last task ends, by the mode's rule.
 */
final class TaskOutcomes {

    private static final int FAILURES_NAMED = 5;

    private final InstanceStore instances;
    private final TaskStore tasks;

    TaskOutcomes(InstanceStore instances, TaskStore tasks) {
        this.instances = instances;
        this.tasks = tasks;
    }

    InstanceState taskEnded(Handle h, Fence fence, InstanceRow inst, JobRow job, TaskRow task, AttemptEnd end,
                            String message, long now) {
        ExecutionMode mode = JobModes.mode(job);
        if (mode == ExecutionMode.SHARDING && retries(end) && task.attempt() < 1 + job.maxRetries()) {
            long at = now + RetryBackoff.delayMs(BackoffKind.valueOf(job.backoff()), job.retryDelayMs(),
                job.retryMaxDelayMs(), task.attempt());
            tasks.insertWaiting(h, fence, List.of(new TaskStore.NewTask(inst.id(), task.taskKey(), task.attempt() + 1,
                null, task.params(), at)));
            return inst.state();
        }
        if (tasks.unfinished(h, inst.id()) > 0) {
            return inst.state();
        }
        InstanceChange change = mode == ExecutionMode.SHARDING ? shardingEnded(h, inst)
            : broadcastEnded(h, fence, inst, job, task, end, message);
        if (change == null) {
            return inst.state();
        }
        boolean applied = instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.DISPATCHED,
            InstanceState.RUNNING), change.finishedAt(now), now);
        return applied ? change.state() : inst.state();
    }

    private static boolean retries(AttemptEnd end) {
        return end != AttemptEnd.SUCCEEDED && end != AttemptEnd.STOPPED;
    }

    private InstanceChange shardingEnded(Handle h, InstanceRow inst) {
        List<TaskRow> last = tasks.lastAttempts(h, inst.id(), TaskStore.SHARD_PREFIX);
        List<TaskRow> failed = last.stream().filter(t -> !t.state().equals(TaskStore.SUCCEEDED)).toList();
        if (failed.isEmpty()) {
            return InstanceChange.to(InstanceState.SUCCEEDED).reason(null)
                .result("all " + last.size() + " shards succeeded");
        }
        String summary = failed.size() + " of " + last.size() + " shards did not succeed: " + name(failed);
        return InstanceChange.to(InstanceState.FAILED).result(summary).reason(summary);
    }

    /** Null while the post-step still has to run. */
    private InstanceChange broadcastEnded(Handle h, Fence fence, InstanceRow inst, JobRow job, TaskRow ended,
                                          AttemptEnd end, String message) {
        BroadcastSpec rule = JobModes.broadcast(job);
        List<TaskRow> all = tasks.lastAttempts(h, inst.id(), TaskStore.WORKER_PREFIX);
        long succeeded = all.stream().filter(t -> t.state().equals(TaskStore.SUCCEEDED)).count();
        boolean met = switch (rule.rule()) {
            case ALL -> succeeded == all.size();
            case AT_LEAST -> succeeded >= rule.threshold();
            case PERCENT -> succeeded * 100 >= (long) rule.threshold() * all.size();
        };
        String counted = succeeded + " of " + all.size() + " workers succeeded (rule " + rule.rule()
            + (rule.threshold() == null ? "" : " " + rule.threshold()) + ")";
        List<TaskRow> failed = all.stream().filter(t -> !t.state().equals(TaskStore.SUCCEEDED)).toList();
        String failures = failed.isEmpty() ? "" : "; " + name(failed);
        if (!met) {
            return InstanceChange.to(InstanceState.FAILED).result(counted).reason(counted + failures);
        }
        if (!rule.hasPostStep()) {
            return InstanceChange.to(InstanceState.SUCCEEDED).result(counted)
                .reason(failed.isEmpty() ? null : counted + failures);
        }
        if (!ended.taskKey().equals(TaskStore.POST)) {
            tasks.insertWaiting(h, fence, List.of(new TaskStore.NewTask(inst.id(), TaskStore.POST, 1, null, null, null)));
            return null;
        }
        if (end == AttemptEnd.SUCCEEDED) {
            return InstanceChange.to(InstanceState.SUCCEEDED).result(message == null ? counted : message)
                .reason(failed.isEmpty() ? null : counted + failures);
        }
        String why = counted + "; the post-step " + Outcomes.describe(end) + (message == null ? "" : ": " + message);
        return InstanceChange.to(end == AttemptEnd.STOPPED ? InstanceState.STOPPED : InstanceState.FAILED)
            .result(message).reason(why);
    }

    private static String name(List<TaskRow> failed) {
        String named = failed.stream().limit(FAILURES_NAMED)
            .map(t -> t.taskKey() + " " + t.state() + (t.result() == null ? "" : ": " + t.result()))
            .collect(Collectors.joining("; "));
        return failed.size() > FAILURES_NAMED ? named + "; and " + (failed.size() - FAILURES_NAMED) + " more" : named;
    }
}
