package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskResult;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.SubTaskStore;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends waiting tasks (shards, broadcast tasks, post-steps, retries of shards) to workers: a
 * task bound to a worker waits for that worker's free slot, any other goes to a worker the
 * job's selection allows. Runs on the {@link DispatchLoop}, as part of the dispatch pass.
 */
final class TaskAssigner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskAssigner.class);
    private static final int PASS_LIMIT = 2_000;
    /** Tasks recorded as sent by one statement. */
    private static final int ASSIGN_CHUNK = 500;
    /**
     * Waiting tasks read beyond the free slots, so that tasks no connected worker may take are
     * seen (and fail after the worker wait) even while every slot is busy.
     */
    private static final int PROBE = 100;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final LeaseKeeper leases;
    private final WorkerRegistry workers;
    private final WorkerSelector selector;
    private final Outcomes outcomes;
    private final Duration workerWait;
    private final CompletionListener completions;
    /** Waiting tasks no connected worker may take, with when this server first saw that. */
    private final Map<Long, Long> unplaceableSince = new HashMap<>();
    /**
     * Per app, the id below which a pass that is not a full one reads no waiting task: every task
     * below it that was waiting and due when a pass read it has been sent. Tasks leave WAITING
     * oldest first and never return to it, and the entries they leave in the index of waiting
     * tasks stay until a vacuum: during a large map, a read from the first entry walks those of
     * every sub-task sent since, on every pass. A task not yet due when the mark passed it (a retry
     * with a delay) is read by the next full pass (the server's one-second pass), which also reads
     * the delayed tasks that are due, wherever they are ({@link TaskStore#waitingWithDelayed}).
     * Kept per lease: a mark made under another epoch of the app's lease counts nothing.
     */
    private final Map<Long, Mark> marks = new HashMap<>();

    private record Mark(Fence fence, long from) {
    }

    TaskAssigner(InstanceStore instances, TaskStore tasks, LeaseKeeper leases, WorkerRegistry workers,
                 WorkerSelector selector, Duration workerWait, CompletionListener completions) {
        this.instances = instances;
        this.tasks = tasks;
        this.leases = leases;
        this.workers = workers;
        this.selector = selector;
        this.outcomes = new Outcomes(instances, tasks);
        this.workerWait = workerWait;
        this.completions = completions;
    }

    /** What one pass knows: each instance and job read once, each job's live tasks per worker. */
    static final class Pass {
        final long now;
        final Map<Long, JobRow> jobs;
        final Map<Long, Map<String, Integer>> jobLoad = new HashMap<>();
        final Map<Long, Optional<InstanceRow>> instances = new HashMap<>();
        final Map<Long, List<WorkerSession>> allowed = new HashMap<>();
        final Map<Long, Integer> shardCounts = new HashMap<>();

        Pass(long now, Map<Long, JobRow> jobs) {
            this.now = now;
            this.jobs = jobs;
        }
    }

    /**
     * The live tasks of the job per worker, counted once per pass and kept up to date by it; read
     * only for a job with a per-worker cap (maxTasksPerWorker), which is all it serves.
     */
    Map<String, Integer> jobLoad(Pass pass, JobRow job) {
        return pass.jobLoad.computeIfAbsent(job.id(), id -> JobModes.selection(job).maxTasksPerWorker() == null
            ? new HashMap<>() : instances.jdbi().withHandle(h -> new HashMap<>(tasks.liveByWorker(h, job.appId(), id))));
    }

    /** A task sent to a worker once the batch it is in commits. */
    private record Planned(Fence fence, WorkerSession worker, long at, DispatchTask dispatch) {
    }

    /**
     * Chooses a worker for each waiting task whose time has come, records the choices in one
     * transaction per app, then sends them. Each app's waiting tasks are read from its mark
     * ({@link #marks}); a {@code full} pass also reads the delayed ones now due below it.
     */
    void run(Pass pass, java.util.function.LongFunction<JobRow> job, boolean full) {
        Set<Long> seen = new HashSet<>();
        Map<Long, List<Planned>> planned = new HashMap<>();
        // a pass sends at most one task per free slot: reading more of a large map's waiting tasks is wasted
        int free = 0;
        for (WorkerSession s : workers.sessions()) {
            free += s.hasRoom() ? s.maxTasks() - s.inFlight() : 0;
        }
        Collection<Long> owned = leases.owned();
        Map<Long, Long> from = new HashMap<>();
        for (Long app : owned) {
            Mark mark = marks.get(app);
            if (mark != null && leases.fence(app).equals(Optional.of(mark.fence()))) {
                from.put(app, mark.from());
            }
        }
        int limit = Math.min(PASS_LIMIT, free + PROBE);
        List<TaskRow> read = full ? tasks.waitingWithDelayed(owned, from, pass.now, limit)
            : tasks.waiting(owned, from, pass.now, limit);
        for (TaskRow task : read) {
            seen.add(task.id());
            Optional<Fence> fence = leases.fence(task.appId());
            Optional<InstanceRow> inst = pass.instances.computeIfAbsent(task.instanceId(), instances::find);
            if (fence.isEmpty() || inst.isEmpty() || inst.get().state().terminal()
                || inst.get().state() == InstanceState.WAITING) {
                continue;
            }
            JobRow j = pass.jobs.computeIfAbsent(inst.get().jobId(), job::apply);
            if (j == null) {
                continue;
            }
            try {
                plan(pass, fence.get(), inst.get(), j, task).ifPresent(p ->
                    planned.computeIfAbsent(task.appId(), app -> new ArrayList<>()).add(p));
            } catch (RuntimeException e) {
                LOG.warn("cannot dispatch task {} of instance {}: {}", task.id(), task.instanceId(), e.toString());
            }
        }
        unplaceableSince.keySet().retainAll(seen);
        Set<Long> sent = new HashSet<>();
        planned.values().forEach(batch -> sent.addAll(send(batch)));
        mark(read, sent);
    }

    /**
     * The next passes read the app's waiting tasks from {@code id} on, if their mark is past it:
     * for tasks made waiting off the dispatch loop, whose ids may lie below where a pass already
     * read ({@link SubTaskReports}).
     */
    void readFrom(long appId, long id) {
        marks.computeIfPresent(appId, (app, mark) -> mark.from() > id ? new Mark(mark.fence(), id) : mark);
    }

    /**
     * Moves each app's mark past the tasks this pass read and sent, up to the first it read and
     * did not send (still waiting: its worker busy, none allowed, its instance not started...).
     * Apps the pass read nothing of keep their mark.
     */
    private void mark(List<TaskRow> read, Set<Long> sent) {
        Map<Long, Long> next = new HashMap<>();
        Set<Long> held = new HashSet<>();
        for (TaskRow task : read) {
            if (held.contains(task.appId())) {
                continue;
            }
            if (sent.contains(task.id())) {
                next.merge(task.appId(), task.id() + 1, Math::max);
            } else {
                next.put(task.appId(), task.id());
                held.add(task.appId());
            }
        }
        next.forEach((app, id) -> leases.fence(app).ifPresent(f -> marks.put(app, new Mark(f, id))));
        marks.keySet().retainAll(leases.owned());
    }

    /**
     * Records the app's planned dispatches in one transaction, one statement per worker (in
     * chunks of {@value #ASSIGN_CHUNK}), then sends those that were still waiting; returns their ids.
     */
    private Set<Long> send(List<Planned> batch) {
        Set<Long> assigned = new HashSet<>();
        Map<WorkerSession, List<Planned>> byWorker = new IdentityHashMap<>();
        for (Planned p : batch) {
            byWorker.computeIfAbsent(p.worker(), w -> new ArrayList<>()).add(p);
        }
        try {
            instances.jdbi().useTransaction(h -> {
                instances.preferIndexes(h);
                assigned.clear();
                for (List<Planned> group : byWorker.values()) {
                    for (int from = 0; from < group.size(); from += ASSIGN_CHUNK) {
                        List<Planned> chunk = group.subList(from, Math.min(group.size(), from + ASSIGN_CHUNK));
                        Planned first = chunk.get(0);
                        assigned.addAll(tasks.assignAll(h, first.fence(), chunk.stream().map(p -> p.dispatch().taskId())
                            .toList(), first.worker().workerId(), first.at()));
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{} task dispatches not recorded: {}", batch.size(), e.toString());
            assigned.clear();
        }
        Outgoing out = new Outgoing();
        for (Planned p : batch) {
            if (!assigned.contains(p.dispatch().taskId())) {
                p.worker().taskEnded();
                continue;
            }
            DispatchTask d = p.dispatch();
            out.add(p.worker(), d);
            LOG.debug("task {} ({}) attempt {} of instance {} -> worker {}", d.taskId(), d.taskKey(),
                d.attempt(), d.instanceId(), p.worker().workerId());
        }
        out.send();
        return assigned;
    }

    /** The worker the task goes to, counted as busy from now on; empty when none can take it now. */
    private Optional<Planned> plan(Pass pass, Fence fence, InstanceRow inst, JobRow job, TaskRow task) {
        WorkerSelection sel = JobModes.selection(job);
        BroadcastSpec broadcast = JobModes.broadcast(job);
        boolean post = task.taskKey().equals(TaskStore.POST);
        String processor = post && broadcast.postProcessor() != null ? broadcast.postProcessor() : job.processor();
        Map<String, Integer> load = jobLoad(pass, job);
        Optional<WorkerSession> worker;
        if (task.workerId() != null) {
            worker = workers.session(task.appId(), task.workerId()).filter(s -> s.isOpen() && s.hasRoom()
                && (sel.maxTasksPerWorker() == null || load.getOrDefault(s.workerId(), 0) < sel.maxTasksPerWorker()));
        } else {
            List<WorkerSession> allowed = pass.allowed.computeIfAbsent(inst.id(),
                id -> selector.allowed(inst.appId(), processor, sel, sel.hashKey()));
            if (allowed.isEmpty()) {
                unplaceable(pass, fence, inst, job, task, sel, processor);
                return Optional.empty();
            }
            unplaceableSince.remove(task.id());
            String key = sel.hashKey() + "#" + task.taskKey();
            worker = selector.choose(allowed, sel, job.id(), key, w -> load.getOrDefault(w, 0));
        }
        if (worker.isEmpty()) {
            return Optional.empty();
        }
        WorkerSession w = worker.get();
        DispatchTask message = message(instances, tasks, task, inst, job, pass.shardCounts);
        load.merge(w.workerId(), 1, Integer::sum);
        w.taskStarted();
        return Optional.of(new Planned(fence, w, pass.now, message));
    }

    /**
     * What a worker is sent to run this task: its shard, or for a broadcast post-step how each
     * task ended. Shard counts are remembered per instance in {@code shardCounts}.
     */
    static DispatchTask message(InstanceStore instances, TaskStore tasks, TaskRow task, InstanceRow inst, JobRow job,
                                Map<Long, Integer> shardCounts) {
        boolean post = task.taskKey().equals(TaskStore.POST);
        BroadcastSpec broadcast = JobModes.broadcast(job);
        String processor = post && broadcast.postProcessor() != null ? broadcast.postProcessor() : job.processor();
        int shardIndex = task.shardIndex();
        int shardCount = shardIndex < 0 ? 0 : shardCounts.computeIfAbsent(inst.id(), id ->
            instances.jdbi().withHandle(h -> tasks.keyCount(h, id, TaskStore.SHARD_PREFIX)));
        List<TaskResult> results = post ? instances.jdbi().withHandle(h -> tasks.lastAttempts(h, inst.id(),
            TaskStore.WORKER_PREFIX)).stream().map(t -> new TaskResult(t.taskKey(), t.workerId(), t.state(), t.result()))
            .toList() : List.of();
        TaskKind kind = post ? TaskKind.POST_BROADCAST
            : task.taskKey().equals(SubTaskStore.REDUCE) ? TaskKind.REDUCE : TaskKind.PROCESS;
        return new DispatchTask(task.id(), task.attempt(), inst.id(), job.id(), job.name(), processor, job.params(),
            inst.params(), job.timeoutMs(), kind, task.taskKey(),
            shardIndex, shardCount, task.params(), results);
    }

    /**
     * No connected worker may take the task: the instance says why, and after the job's worker
     * wait the task fails (and its retry policy decides).
     */
    private void unplaceable(Pass pass, Fence fence, InstanceRow inst, JobRow job, TaskRow task, WorkerSelection sel,
                             String processor) {
        long since = unplaceableSince.computeIfAbsent(task.id(), id -> pass.now);
        Duration wait = sel.workerWait() != null ? sel.workerWait() : workerWait;
        String why = task.taskKey() + ": " + selector.explain(inst.appId(), processor, sel, 0);
        if (pass.now - since < wait.toMillis()) {
            if (!why.equals(inst.reason())) {
                instances.jdbi().useTransaction(h -> instances.change(h, fence, inst.id(), EnumSet.of(inst.state()),
                    InstanceChange.to(inst.state()).reason(why), pass.now));
                pass.instances.remove(inst.id());
            }
            return;
        }
        unplaceableSince.remove(task.id());
        String failure = why + " for " + wait.toSeconds() + " s ("
            + (sel.workerWait() != null ? "the job's selection.workerWait" : "gnomon.dispatch.worker-wait") + ")";
        InstanceState state = instances.jdbi().inTransaction(h -> {
            if (!tasks.change(h, fence, task.id(), task.attempt(), "FAILED", failure, task.lastReportSeq(), pass.now)) {
                return inst.state();
            }
            return outcomes.taskEnded(h, fence, inst, job, task, AttemptEnd.FAILED, failure, pass.now);
        });
        pass.instances.remove(inst.id());
        if (state.terminal()) {
            completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), pass.now);
        }
    }
}
