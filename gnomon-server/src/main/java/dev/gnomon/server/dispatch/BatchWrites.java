package dev.gnomon.server.dispatch;

import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Changes to tasks and instances collected in memory and written once per row at the end, in
 * JDBC batches: a task that starts and ends within one batch costs one write, and so does its
 * instance. Each write is guarded by the state the row was read in and by its app's lease; a row
 * that moved meanwhile fails the whole batch (its transaction rolls back, and the caller applies
 * the changes one at a time instead).
 */
final class BatchWrites {

    /**
     * By id, so that every batch takes its rows' locks in the same order as any other writer that
     * goes by id (a stop): two writers of one instance's tasks wait for each other, never deadlock.
     */
    private final Map<Long, TaskRow> taskRead = new TreeMap<>();
    private final Map<Long, TaskRow> taskLast = new HashMap<>();
    private final Map<Long, Fence> taskFence = new HashMap<>();
    private final Map<Long, InstanceStore.StagedChange> instanceWrites = new LinkedHashMap<>();

    /** Task {@code read} (as read, or as last changed in this batch) becomes {@code next}. */
    void task(Fence fence, TaskRow read, TaskRow next) {
        taskRead.putIfAbsent(read.id(), read);
        taskLast.put(next.id(), next);
        taskFence.put(read.id(), fence);
    }

    /** The instance (as read, or as last changed in this batch) takes {@code change}; returns it changed. */
    InstanceRow instance(Fence fence, InstanceRow inst, InstanceChange change) {
        InstanceStore.StagedChange before = instanceWrites.get(inst.id());
        instanceWrites.put(inst.id(), before == null ? new InstanceStore.StagedChange(fence, inst.id(), inst.state(),
            change) : new InstanceStore.StagedChange(fence, inst.id(), before.from(), before.change().then(change)));
        return change.applyTo(inst);
    }

    boolean isEmpty() {
        return taskRead.isEmpty() && instanceWrites.isEmpty();
    }

    /** Writes every changed task, then every changed instance, once each. */
    void flush(Handle h, TaskStore tasks, InstanceStore instances, long now) {
        List<TaskStore.StagedTask> writes = new ArrayList<>(taskRead.size());
        taskRead.forEach((id, read) -> {
            TaskRow last = taskLast.get(id);
            writes.add(new TaskStore.StagedTask(taskFence.get(id), id, read.attempt(), read.state(), last.state(),
                last.result(), last.lastReportSeq(), last.startedAt(), last.finishedAt()));
        });
        Set<Long> missed = tasks.changeAll(h, writes);
        if (!missed.isEmpty()) {
            throw new IllegalStateException("tasks " + missed + " changed while a batch of changes to them was applied");
        }
        missed = instances.changeAll(h, List.copyOf(instanceWrites.values()), now);
        if (!missed.isEmpty()) {
            throw new IllegalStateException("instances " + missed + " changed while a batch of changes to them was"
                + " applied");
        }
    }
}
