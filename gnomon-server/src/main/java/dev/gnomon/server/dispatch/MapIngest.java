package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.SubTaskStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Turns a task's emitted sub-tasks into waiting tasks, one fenced batch insert per batch. A batch
 * is keyed by (instance, emitting task key, seq), not by attempt: a task re-run after its worker
 * was lost emits its batches again from seq 1, and those an earlier attempt stored are
 * acknowledged and stored never twice. Sub-task {@code i} of group {@code name} emitted by a task
 * whose first attempt has id {@code t} has the key {@code <name>-<t>-<i>}, whichever attempt
 * emitted it.
 */
public final class MapIngest {

    /** Sub-tasks one batch may carry. */
    public static final int MAX_BATCH = 10_000;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final LeaseKeeper leases;

    public MapIngest(InstanceStore instances, TaskStore tasks, JobStore jobs, LeaseKeeper leases) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.leases = leases;
    }

    /**
     * Applies a batch and says so, or says why it never will be; empty when this server does not
     * own the task's app (the worker sends the batch to the owner after it reconnects).
     */
    public Optional<MapAccepted> apply(MapTasks batch) {
        return instances.jdbi().inTransaction(h -> {
            instances.preferIndexes(h);
            Optional<TaskRow> found = tasks.find(h, batch.taskId());
            if (found.isEmpty()) {
                return Optional.of(refuse(batch, "task " + batch.taskId() + " is not known to the server"));
            }
            TaskRow parent = found.get();
            Optional<Fence> fence = leases.fence(parent.appId());
            if (fence.isEmpty()) {
                return Optional.empty();
            }
            if (stored(h, parent, batch)) {
                return Optional.of(accept(batch));
            }
            String problem = problem(h, parent, batch);
            if (problem != null) {
                return Optional.of(refuse(batch, problem));
            }
            long first = tasks.subTasks().firstAttemptId(h, parent.instanceId(), parent.taskKey());
            if (tasks.subTasks().emit(h, fence.get(), parent, batch.seq(), made(parent, first, batch))) {
                return Optional.of(accept(batch));
            }
            return Optional.of(again(h, parent, batch));
        });
    }

    /**
     * Whether the batch is stored: by any attempt of the task, or by this attempt before batches
     * were kept by task key.
     */
    private boolean stored(Handle h, TaskRow parent, MapTasks batch) {
        return tasks.subTasks().stored(h, parent.instanceId(), parent.taskKey(), batch.seq())
            || parent.attempt() == batch.attempt() && batch.seq() <= tasks.subTasks().mappedThrough(h, parent.id());
    }

    private String problem(Handle h, TaskRow parent, MapTasks batch) {
        if (parent.attempt() != batch.attempt() || parent.terminal()) {
            return "task " + parent.id() + " is at attempt " + parent.attempt() + " (" + parent.state()
                + "); attempt " + batch.attempt() + " can no longer emit sub-tasks";
        }
        String bad = MapTasks.badName(batch.name());
        if (bad != null) {
            return bad;
        }
        if (batch.items().isEmpty() || batch.items().size() > MAX_BATCH) {
            return "a batch carries 1-" + MAX_BATCH + " sub-tasks; this one has " + batch.items().size();
        }
        if (parent.taskKey().equals(SubTaskStore.REDUCE)) {
            return "the reduce step cannot emit sub-tasks";
        }
        InstanceRow inst = instances.find(h, parent.instanceId()).orElseThrow();
        JobRow job = jobs.get(inst.jobId());
        ExecutionMode mode = JobModes.mode(job);
        if (mode != ExecutionMode.MAP && mode != ExecutionMode.MAP_REDUCE) {
            return "job '" + job.name() + "' has mode " + mode + "; only MAP and MAP_REDUCE jobs emit sub-tasks";
        }
        return null;
    }

    /** The batch was stored before (a resend), or the attempt ended meanwhile. */
    private MapAccepted again(Handle h, TaskRow parent, MapTasks batch) {
        if (stored(h, parent, batch)) {
            return accept(batch);
        }
        return refuse(batch, "task " + parent.id() + " attempt " + parent.attempt() + " ended before its sub-tasks"
            + " were stored");
    }

    private static List<TaskStore.NewTask> made(TaskRow parent, long firstAttemptId, MapTasks batch) {
        List<TaskStore.NewTask> out = new ArrayList<>(batch.items().size());
        String prefix = batch.name() + "-" + firstAttemptId + "-";
        for (int i = 0; i < batch.items().size(); i++) {
            out.add(new TaskStore.NewTask(parent.instanceId(), prefix + (batch.firstIndex() + i), 1, null,
                batch.items().get(i), null));
        }
        return out;
    }

    private static MapAccepted accept(MapTasks batch) {
        return new MapAccepted(batch.taskId(), batch.attempt(), batch.seq(), null);
    }

    private static MapAccepted refuse(MapTasks batch, String why) {
        return new MapAccepted(batch.taskId(), batch.attempt(), batch.seq(), why);
    }
}
