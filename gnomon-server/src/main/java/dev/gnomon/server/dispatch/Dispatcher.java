package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends waiting instances of the apps this server owns to workers that can run them: a
 * standalone instance as one task, a sharded or broadcast instance as its tasks, which the
 * {@link TaskAssigner} then sends as slots free up.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final int PASS_LIMIT = 500;
    /**
     * Waiting instances read beyond the free slots, so that those no connected worker may take are
     * seen (explained, and failed after the worker wait) even while every slot is busy.
     */
    private static final int PROBE = 100;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final LeaseKeeper leases;
    private final WorkerRegistry workers;
    private final WorkerSelector selector;
    private final TaskAssigner assigner;
    private final Clock clock;
    private final Duration workerWait;
    private final CompletionListener completions;
    /**
     * Per job, at most how many of its instances are DISPATCHED or RUNNING: the count of the last
     * pass that counted, plus what passes started since. Instances only leave those states
     * meanwhile (a report, a stop, a lost worker end them), except those a {@link RunNowStart}
     * starts, which drops the job's bound. A pass counts again only when the bound would hold an
     * instance back, so a job far from its maxConcurrent costs no count per pass. Kept per lease:
     * a bound made under another epoch of the app's lease counts nothing.
     */
    private final Map<Long, ActiveBound> activeBounds = new HashMap<>();

    private record ActiveBound(Fence fence, int count) {
    }

    public Dispatcher(InstanceStore instances, TaskStore tasks, JobStore jobs, LeaseKeeper leases,
                      WorkerRegistry workers, Clock clock, Duration workerWait, CompletionListener completions) {
        this(instances, tasks, jobs, leases, workers, new Random(), clock, workerWait, completions);
    }

    /** With a given source of randomness, for the RANDOM strategy. */
    public Dispatcher(InstanceStore instances, TaskStore tasks, JobStore jobs, LeaseKeeper leases,
                      WorkerRegistry workers, Random random, Clock clock, Duration workerWait,
                      CompletionListener completions) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.leases = leases;
        this.workers = workers;
        this.selector = new WorkerSelector(workers, random);
        this.assigner = new TaskAssigner(instances, tasks, leases, workers, selector, workerWait, completions);
        this.clock = clock;
        this.workerWait = workerWait;
        this.completions = completions;
    }

    /** Starts run-now instances on {@code loop} as this dispatcher would, with its selector (a job's turns count once). */
    RunNowStart runNowStart(DispatchLoop loop) {
        return new RunNowStart(instances, tasks, jobs, leases, workers, selector, loop, clock, activeBounds::remove);
    }

    /**
     * One pass over the waiting instances, then over the waiting tasks; runs on the {@link DispatchLoop}.
     * It reads only as many waiting instances as the workers have free slots, and a few more (so
     * that those no worker may take are seen and explained), and records what it decides in one
     * transaction per app. Returns whether it may have left waiting instances behind that the
     * workers have room for: it read as many as it may read in one pass and started some.
     */
    public boolean pass() {
        return pass(true);
    }

    /** The next passes read the app's waiting tasks from {@code id} on, or below; on the dispatch loop. */
    public void readWaitingFrom(long appId, long id) {
        assigner.readFrom(appId, id);
    }

    /**
     * As {@link #pass()}; every pass reads each app's waiting tasks from where the last pass left
     * them (see {@link TaskAssigner}), and a {@code full} one also reads the delayed ones now due
     * below that, so that a retry not yet due when the others went past it is seen once it is.
     */
    public boolean pass(boolean full) {
        long now = clock.millis();
        Map<Long, JobRow> jobCache = new HashMap<>();
        Active active = new Active();
        TaskAssigner.Pass pass = new TaskAssigner.Pass(now, jobCache);
        Decisions decisions = new Decisions();
        int free = 0;
        for (WorkerSession s : workers.sessions()) {
            free += s.hasRoom() ? s.maxTasks() - s.inFlight() : 0;
        }
        int limit = Math.min(PASS_LIMIT, free + PROBE);
        List<InstanceRow> page = instances.waiting(leases.owned(), now, limit);
        for (InstanceRow inst : page) {
            Optional<Fence> fence = leases.fence(inst.appId());
            JobRow job = jobCache.computeIfAbsent(inst.jobId(), id -> jobs.findRecent(id).orElse(null));
            if (fence.isEmpty() || job == null) {
                continue;
            }
            try {
                dispatch(fence.get(), inst, job, active, pass, decisions);
            } catch (RuntimeException e) {
                LOG.warn("cannot dispatch instance {}: {}", inst.id(), e.toString());
            }
        }
        // each app's reasons go in the transaction that starts its instances, when there is one
        Map<Long, List<InstanceStore.StagedChange>> notes = new LinkedHashMap<>();
        for (InstanceStore.StagedChange n : decisions.notes) {
            notes.computeIfAbsent(n.fence().appId(), a -> new ArrayList<>()).add(n);
        }
        decisions.runs.forEach((appId, batch) -> start(batch, notes.getOrDefault(appId, List.of()), now));
        List<InstanceStore.StagedChange> rest = new ArrayList<>();
        notes.forEach((appId, appNotes) -> {
            if (!decisions.runs.containsKey(appId)) {
                rest.addAll(appNotes);
            }
        });
        writeNotes(rest, now);
        active.keep();
        assigner.run(pass, id -> jobs.findRecent(id).orElse(null), full);
        return limit == PASS_LIMIT && page.size() == limit && decisions.started > 0;
    }

    /**
     * The jobs' DISPATCHED and RUNNING instances as one pass sees them: read from the bounds
     * ({@link #activeBounds}) or counted, then kept up to date by the pass, the only writer.
     */
    private final class Active {
        private final Map<Long, Integer> count = new HashMap<>();
        private final Map<Long, Fence> fences = new HashMap<>();
        /** Jobs counted in this pass: their figure is exact, not a bound. */
        private final Set<Long> counted = new HashSet<>();

        /** How many of the job's instances are active; counted whenever a bound alone would hold it at its maxConcurrent. */
        int of(Fence fence, JobRow job) {
            Integer known = count.get(job.id());
            if (known == null) {
                ActiveBound bound = activeBounds.get(job.id());
                if (bound != null && bound.fence().equals(fence)) {
                    known = bound.count();
                    fences.put(job.id(), fence);
                    count.put(job.id(), known);
                }
            }
            if (known == null || known >= job.maxConcurrent() && !counted.contains(job.id())) {
                known = instances.jdbi().withHandle(h -> instances.activeCount(h, job.appId(), job.id()));
                counted.add(job.id());
                fences.put(job.id(), fence);
                count.put(job.id(), known);
            }
            return known;
        }

        void started(long jobId) {
            count.merge(jobId, 1, Integer::sum);
        }

        /** Keeps what this pass knows as the bounds of the next; drops those of leases no longer held. */
        void keep() {
            count.forEach((job, n) -> activeBounds.put(job, new ActiveBound(fences.get(job), n)));
            activeBounds.values().removeIf(b -> !leases.fence(b.fence().appId()).equals(Optional.of(b.fence())));
        }
    }

    /** A standalone instance's attempt planned for a worker, recorded with the others of its app. */
    private record Run(Fence fence, InstanceRow inst, JobRow job, WorkerSession worker) {
    }

    /** What one pass decided and writes at its end: attempts to start per app, reasons to show. */
    private static final class Decisions {
        final Map<Long, List<Run>> runs = new LinkedHashMap<>();
        final List<InstanceStore.StagedChange> notes = new ArrayList<>();
        /**
         * Jobs whose oldest instance left waiting this pass was explained (every allowed worker full,
         * or the job at its maxConcurrent): the instances behind it wait for the same reason.
         */
        final Set<Long> full = new HashSet<>();
        int started;
    }

    private void dispatch(Fence fence, InstanceRow inst, JobRow job, Active active, TaskAssigner.Pass pass,
                          Decisions decisions) {
        WorkerSelection sel = JobModes.selection(job);
        ExecutionMode mode = JobModes.mode(job);
        List<WorkerSession> allowed = selector.allowed(inst.appId(), job.processor(), sel, sel.hashKey());
        Optional<WorkerSession> picked;
        if (mode == ExecutionMode.STANDALONE) {
            Map<String, Integer> load = sel.maxTasksPerWorker() == null ? Map.of() : assigner.jobLoad(pass, job);
            picked = selector.choose(allowed, sel, job.id(), sel.hashKey(), w -> load.getOrDefault(w, 0));
        } else {
            picked = allowed.stream().findFirst();
        }
        if (picked.isEmpty()) {
            waitForWorker(fence, inst, job, sel, allowed.size(), pass.now, decisions);
            return;
        }
        int running = active.of(fence, job);
        if (running >= job.maxConcurrent()) {
            if (decisions.full.add(job.id())) {
                note(fence, inst, "queued: " + running + " of at most " + job.maxConcurrent() + " instances of job '"
                    + job.name() + "' are running", decisions);
            }
            return;
        }
        if (mode == ExecutionMode.STANDALONE) {
            WorkerSession worker = picked.get();
            // the slot counts from now, so that the rest of the pass sees it taken
            worker.taskStarted();
            if (pass.jobLoad.containsKey(job.id())) {
                pass.jobLoad.get(job.id()).merge(worker.workerId(), 1, Integer::sum);
            }
            decisions.runs.computeIfAbsent(inst.appId(), a -> new ArrayList<>()).add(new Run(fence, inst, job, worker));
            active.started(job.id());
            decisions.started++;
        } else if (makeTasks(fence, inst, job, mode, allowed, pass.now)) {
            active.started(job.id());
            decisions.started++;
        }
    }

    /**
     * Records one app's planned attempts in one transaction (each instance WAITING to DISPATCHED,
     * and its task) with the reasons the pass gives its other instances, then sends them. An
     * instance that moved on meanwhile is left out.
     */
    private void start(List<Run> batch, List<InstanceStore.StagedChange> notes, long now) {
        List<Run> started = new ArrayList<>(batch.size());
        List<Long> taskIds = new ArrayList<>(batch.size());
        try {
            instances.jdbi().useTransaction(h -> {
                instances.preferIndexes(h);
                started.clear();
                taskIds.clear();
                List<InstanceStore.StagedChange> changes = new ArrayList<>(batch.size());
                for (Run r : batch) {
                    InstanceChange change = InstanceChange.to(InstanceState.DISPATCHED).worker(r.worker().workerId())
                        .reason(null).nextAttemptAt(null);
                    if (r.inst().startedAt() == null) {
                        change.startedAt(now);
                    }
                    changes.add(new InstanceStore.StagedChange(r.fence(), r.inst().id(), InstanceState.WAITING, change));
                }
                Set<Long> missed = instances.changeAll(h, changes, now);
                List<TaskStore.NewDispatched> made = new ArrayList<>(batch.size());
                for (Run r : batch) {
                    if (!missed.contains(r.inst().id())) {
                        started.add(r);
                        made.add(new TaskStore.NewDispatched(r.fence(), r.inst().id(), TaskStore.ROOT, r.inst().attempt(),
                            r.worker().workerId()));
                    }
                }
                taskIds.addAll(tasks.insertDispatched(h, made, now));
                instances.changeAll(h, notes, now);
            });
        } catch (RuntimeException e) {
            LOG.warn("{} dispatches not recorded: {}", batch.size(), e.toString());
            started.clear();
        }
        Outgoing out = new Outgoing();
        for (int i = 0; i < started.size(); i++) {
            Run r = started.get(i);
            out.add(r.worker(), message(taskIds.get(i), r.inst(), r.job()));
            LOG.debug("instance {} attempt {} -> worker {} (task {})", r.inst().id(), r.inst().attempt(),
                r.worker().workerId(), taskIds.get(i));
        }
        out.send();
        if (started.size() < batch.size()) {
            Set<Run> recorded = Collections.newSetFromMap(new IdentityHashMap<>());
            recorded.addAll(started);
            for (Run r : batch) {
                if (!recorded.contains(r)) {
                    r.worker().taskEnded();
                }
            }
        }
    }

    /** What a worker is sent to run attempt {@code inst.attempt()} of a standalone instance as task {@code taskId}. */
    private static DispatchTask message(long taskId, InstanceRow inst, JobRow job) {
        return new DispatchTask(taskId, inst.attempt(), inst.id(), job.id(), job.name(), job.processor(), job.params(),
            inst.params(), job.timeoutMs());
    }

    /**
     * Records the instance's tasks, all waiting, in one batch with the instance's move to
     * DISPATCHED: a shard per parameter, the root task of a map, or a task bound to each allowed worker.
     */
    private boolean makeTasks(Fence fence, InstanceRow inst, JobRow job, ExecutionMode mode,
                              List<WorkerSession> allowed, long now) {
        List<TaskStore.NewTask> made = new ArrayList<>();
        if (mode == ExecutionMode.SHARDING) {
            List<String> shards = JobModes.shards(job);
            for (int i = 0; i < shards.size(); i++) {
                made.add(new TaskStore.NewTask(inst.id(), TaskStore.SHARD_PREFIX + i, 1, null, shards.get(i), null));
            }
        } else if (mode == ExecutionMode.MAP || mode == ExecutionMode.MAP_REDUCE) {
            made.add(new TaskStore.NewTask(inst.id(), TaskStore.ROOT, 1, null, null, null));
        } else {
            for (WorkerSession s : allowed) {
                made.add(new TaskStore.NewTask(inst.id(), TaskStore.WORKER_PREFIX + s.workerId(), 1, s.workerId(), null,
                    null));
            }
        }
        boolean changed = instances.jdbi().inTransaction(h -> {
            if (!toDispatched(h, fence, inst, null, now)) {
                return false;
            }
            tasks.insertWaiting(h, fence, made);
            return true;
        });
        LOG.debug("instance {} ({}) made {} tasks: {}", inst.id(), mode, made.size(), changed);
        return changed;
    }

    /** WAITING to DISPATCHED (on one worker, or on its tasks' workers); false when it moved on first. */
    private boolean toDispatched(org.jdbi.v3.core.Handle h, Fence fence, InstanceRow inst, String workerId, long now) {
        InstanceChange change = InstanceChange.to(InstanceState.DISPATCHED).worker(workerId).reason(null)
            .nextAttemptAt(null);
        if (inst.startedAt() == null) {
            change.startedAt(now);
        }
        return instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.WAITING), change, now);
    }

    private void waitForWorker(Fence fence, InstanceRow inst, JobRow job, WorkerSelection sel, int allowedCount,
                               long now, Decisions decisions) {
        if (allowedCount > 0) {
            // Workers the job may use are there, only full: the instance keeps its place in the queue
            // however long that takes (worker-wait is for a selection that no worker matches). Only
            // the oldest of each job's queue says so, so that a backlog of any length costs one
            // write per job and pass, not one per instance.
            if (decisions.full.add(job.id())) {
                note(fence, inst, why(inst, job, sel, allowedCount), decisions);
            }
            return;
        }
        long waitingSince = inst.nextAttemptAt() != null ? inst.nextAttemptAt() : inst.createdAt();
        String why = why(inst, job, sel, allowedCount);
        Duration wait = sel.workerWait() != null ? sel.workerWait() : workerWait;
        if (now - waitingSince >= wait.toMillis()) {
            String setting = sel.workerWait() != null ? "the job's selection.workerWait" : "gnomon.dispatch.worker-wait";
            boolean failed = instances.jdbi().inTransaction(h -> instances.change(h, fence, inst.id(),
                EnumSet.of(InstanceState.WAITING), InstanceChange.to(InstanceState.FAILED).finishedAt(now)
                    .reason(why + " for " + wait.toSeconds() + " s (" + setting + ")"), now));
            if (failed) {
                completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now);
            }
            return;
        }
        note(fence, inst, why, decisions);
    }

    private String why(InstanceRow inst, JobRow job, WorkerSelection sel, int allowedCount) {
        return selector.explain(inst.appId(), job.processor(), sel, allowedCount)
            + (inst.attempt() > 1 && inst.result() != null
                ? " (attempt " + (inst.attempt() - 1) + " ended: " + inst.result() + ")" : "");
    }

    /** Shows why the instance still waits; written with the pass's other reasons at its end. */
    private void note(Fence fence, InstanceRow inst, String reason, Decisions decisions) {
        if (Objects.equals(reason, inst.reason())) {
            return;
        }
        decisions.notes.add(new InstanceStore.StagedChange(fence, inst.id(), InstanceState.WAITING,
            InstanceChange.to(InstanceState.WAITING).reason(reason)));
    }

    private void writeNotes(List<InstanceStore.StagedChange> notes, long now) {
        if (notes.isEmpty()) {
            return;
        }
        try {
            instances.jdbi().useTransaction(h -> instances.changeAll(h, notes, now));
        } catch (RuntimeException e) {
            LOG.warn("{} waiting reasons not recorded: {}", notes.size(), e.toString());
        }
    }
}
