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
import dev.gnomon.server.store.SubTaskStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * What a task's end means for an instance of many tasks (sharding, broadcast, map, map-reduce).
 * A shard or map task that failed, timed out or lost its worker is tried again, on any allowed
 * worker, under the job's retry policy; a map task whose worker was lost is tried again even
 * beyond that policy (decision 6), up to {@link #LOST_REDISPATCHES} more times. A broadcast task
 * is bound to its worker and ends for good. The instance ends when its last task ends, by the
 * mode's rule; a map-reduce instance first runs its reduce step.
 */
final class TaskOutcomes {

    private static final int FAILURES_NAMED = 5;
    /** How long a refused task waits before it is sent again. */
    static final long REFUSED_PAUSE_MS = 1_000;

    /** Attempts a map task may take beyond its retry policy when its workers keep getting lost. */
    static final int LOST_REDISPATCHES = 10;

    private final InstanceStore instances;
    private final TaskStore tasks;
    /** The transaction {@link #waitingOf} was read in. */
    private Handle waitingHandle;
    /** A waiting task of each instance, as read in {@link #waitingHandle}'s transaction. */
    private final Map<Long, Long> waitingOf = new HashMap<>();

    TaskOutcomes(InstanceStore instances, TaskStore tasks) {
        this.instances = instances;
        this.tasks = tasks;
    }

    InstanceState taskEnded(Handle h, Fence fence, InstanceRow inst, JobRow job, TaskRow task, AttemptEnd end,
                            String message, long now) {
        Optional<TaskStore.NewTask> again = retry(job, task, end, now);
        if (again.isPresent()) {
            tasks.insertWaiting(h, fence, List.of(again.get()));
            return inst.state();
        }
        return afterEnd(h, fence, inst, job, task, end, message, now);
    }

    /**
     * The next attempt of a task that ended this way, when the mode and the job's retry policy
     * try it again: a map task whose worker was lost goes to another worker at once, one a worker
     * refused (it never ran) waits a moment for the worker's count to settle, a failure waits for
     * its backoff. Empty when the task ended for good.
     */
    static Optional<TaskStore.NewTask> retry(JobRow job, TaskRow task, AttemptEnd end, long now) {
        ExecutionMode mode = JobModes.mode(job);
        if (!triesAgain(mode, job, task, end)) {
            return Optional.empty();
        }
        Long at;
        if (end == AttemptEnd.REFUSED) {
            at = now + REFUSED_PAUSE_MS;
        } else if (mode != ExecutionMode.SHARDING && end == AttemptEnd.WORKER_LOST) {
            at = null;
        } else {
            at = now + RetryBackoff.delayMs(BackoffKind.valueOf(job.backoff()), job.retryDelayMs(),
                job.retryMaxDelayMs(), task.attempt());
        }
        return Optional.of(new TaskStore.NewTask(task.instanceId(), task.taskKey(), task.attempt() + 1, null,
            task.params(), at));
    }

    /**
     * What the end for good of {@code task} (already written) means for its instance: nothing
     * while other tasks are unfinished; otherwise the mode's next step or the instance's end.
     * Returns the state the instance is now in.
     */
    InstanceState afterEnd(Handle h, Fence fence, InstanceRow inst, JobRow job, TaskRow task, AttemptEnd end,
                           String message, long now) {
        return afterEnd(h, fence, inst, job, task.taskKey(), end, message, now);
    }

    /**
     * As {@link #afterEnd(Handle, Fence, InstanceRow, JobRow, TaskRow, AttemptEnd, String, long)},
     * for the task key that ended: what the instance's next step is depends only on whether it was
     * the reduce step or a broadcast's post-step, whose end and message then decide the outcome.
     */
    InstanceState afterEnd(Handle h, Fence fence, InstanceRow inst, JobRow job, String endedKey, AttemptEnd end,
                           String message, long now) {
        if (othersUnfinished(h, inst.id())) {
            return inst.state();
        }
        InstanceChange change = switch (JobModes.mode(job)) {
            case SHARDING -> shardingEnded(h, inst);
            case MAP -> mapEnded(h, inst);
            case MAP_REDUCE -> reduceEnded(h, fence, inst, endedKey, end, message);
            default -> broadcastEnded(h, fence, inst, job, endedKey, end, message);
        };
        if (change == null) {
            return inst.state();
        }
        boolean applied = instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.DISPATCHED,
            InstanceState.RUNNING), change.finishedAt(now), now);
        return applied ? change.state() : inst.state();
    }

    /**
     * Whether the instance still has tasks that did not end: first one sent and not ended (while
     * a map runs, the newest sent is one, found at the first index entry read), then one waiting. A
     * waiting task found in a transaction is remembered for the rest of it: no report can end a
     * task that was never sent, and the dispatch loop, the one thread that sends tasks, is busy
     * with this transaction (the reports of sub-tasks written beside it end only sent ones).
     */
    private boolean othersUnfinished(Handle h, long instanceId) {
        synchronized (this) {
            if (waitingHandle != h) {
                waitingHandle = h;
                waitingOf.clear();
            }
            if (waitingOf.containsKey(instanceId)) {
                return true;
            }
        }
        if (tasks.anyLive(h, instanceId)) {
            return true;
        }
        Optional<Long> waiting = tasks.someWaiting(h, instanceId);
        if (waiting.isPresent()) {
            synchronized (this) {
                if (waitingHandle == h) {
                    waitingOf.put(instanceId, waiting.get());
                }
            }
            return true;
        }
        return false;
    }

    private static boolean triesAgain(ExecutionMode mode, JobRow job, TaskRow task, AttemptEnd end) {
        if (!end.retryable()) {
            return false;
        }
        boolean mapped = mode == ExecutionMode.MAP || mode == ExecutionMode.MAP_REDUCE;
        if (mapped && end == AttemptEnd.WORKER_LOST) {
            return task.attempt() < 1 + job.maxRetries() + LOST_REDISPATCHES;
        }
        // A refusal (a worker already full, say, while a new owner's count of its running tasks
        // settles) means the task never ran: sending it again cannot run it twice, so it does not
        // use up the retry policy.
        if ((mapped || mode == ExecutionMode.SHARDING) && end == AttemptEnd.REFUSED) {
            return task.attempt() < 1 + job.maxRetries() + LOST_REDISPATCHES;
        }
        return (mapped || mode == ExecutionMode.SHARDING) && task.attempt() < 1 + job.maxRetries();
    }

    private InstanceChange mapEnded(Handle h, InstanceRow inst) {
        String failures = mapFailures(h, inst);
        if (failures != null) {
            return InstanceChange.to(InstanceState.FAILED).result(failures).reason(failures);
        }
        return InstanceChange.to(InstanceState.SUCCEEDED).reason(null)
            .result("all " + tasks.subTasks().keyCount(h, inst.id()) + " tasks succeeded");
    }

    /** Null while the reduce step still has to run. */
    private InstanceChange reduceEnded(Handle h, Fence fence, InstanceRow inst, String endedKey, AttemptEnd end,
                                       String message) {
        if (!endedKey.equals(SubTaskStore.REDUCE)) {
            String failures = mapFailures(h, inst);
            if (failures != null) {
                String why = failures + "; the reduce step did not run";
                return InstanceChange.to(InstanceState.FAILED).result(why).reason(why);
            }
            tasks.insertWaiting(h, fence, List.of(new TaskStore.NewTask(inst.id(), SubTaskStore.REDUCE, 1, null, null,
                null)));
            return null;
        }
        if (end == AttemptEnd.SUCCEEDED) {
            return InstanceChange.to(InstanceState.SUCCEEDED).result(message).reason(null);
        }
        String why = "the reduce step " + Outcomes.describe(end) + (message == null ? "" : ": " + message);
        return InstanceChange.to(end == AttemptEnd.STOPPED ? InstanceState.STOPPED : InstanceState.FAILED)
            .result(message).reason(why);
    }

    /** What did not succeed among the root and sub-tasks, counted in the database; null when all succeeded. */
    private String mapFailures(Handle h, InstanceRow inst) {
        long failed = tasks.subTasks().notSucceeded(h, inst.id());
        if (failed == 0) {
            return null;
        }
        List<TaskRow> some = tasks.subTasks().someNotSucceeded(h, inst.id(), FAILURES_NAMED);
        String named = name(some);
        return failed + " of " + tasks.subTasks().keyCount(h, inst.id()) + " tasks did not succeed: "
            + (failed > some.size() ? named + "; and " + (failed - some.size()) + " more" : named);
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
    private InstanceChange broadcastEnded(Handle h, Fence fence, InstanceRow inst, JobRow job, String endedKey,
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
        if (!endedKey.equals(TaskStore.POST)) {
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
