package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.dispatch.ReportHandler.Queued;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the reports of map sub-tasks on a thread and a database connection of its own, beside
 * the {@link DispatchLoop}: while the loop sends sub-tasks, the starts and ends of those sent
 * before are written here. A large map sends and ends each of its sub-tasks once; on one thread
 * the two kinds of writes took turns, each waiting for the database while the other could have run.
 *
 * <p>Here: a sub-task's start (DISPATCHED to RUNNING) and end, and the next attempt of a sub-task
 * tried again, written in the end's transaction, in batches, each write guarded like the loop's
 * (by the row's state and attempt as read, and the app's lease). Reports are acknowledged once
 * committed, resends and late reports are handled as {@link ReportHandler} does.
 *
 * <p>Which reports come here: those on the map sub-tasks a worker's channel was sent
 * ({@link WorkerSession#reportsOnSubTask}), start and end alike. Every other report (a root, a
 * reduce step, the tasks of other modes, a task sent before the channel) goes to the loop, and so
 * does one that turns out not to be a sub-task's here, passed on in the order it came. On the loop
 * too: what the ends mean for an instance. After each batch commits, the loop looks at each instance that
 * had a sub-task end for good (does it still have unfinished tasks? if not, its reduce step or its
 * end). The loop takes those looks one after another, each after the writes it follows committed,
 * so whichever comes last, here or on the loop, sees every task ended. Should the server stop
 * between a commit here and the loop's look, the loop finds the instance by {@link #settleStuck()}
 * (its sweep, and a new owner's).
 *
 * <p>A next attempt written here may have an id below where a dispatch pass already read the
 * app's waiting tasks (the loop's marks): a pass may read past an id this transaction took before
 * it commits. Before writing one, a batch reads the highest task id committed; every id it then
 * takes is above it, and the loop moves the app's mark back to just above it before its look.
 */
public final class SubTaskReports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubTaskReports.class);

    /** Instances looked at per sweep of {@link #settleStuck()}. */
    static final int STUCK_PER_SWEEP = 100;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final LeaseKeeper leases;
    private final Clock clock;
    private final ReportHandler reports;
    private final DispatchLoop loop;
    private final BiConsumer<WorkerSession, TaskReport> others;
    private final BiConsumer<Long, Long> readWaitingFrom;
    private final CompletionListener completions;
    private final Runnable onSlotFreed;
    private final Outcomes outcomes;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** What committed batches left to the loop, taken together by one step of it. */
    private final Queue<Settle> toSettle = new ConcurrentLinkedQueue<>();
    /** The loop's step that takes them (a field: the loop coalesces a step by its identity). */
    private final Runnable settlePending = this::settlePending;
    /** Acknowledgements of the batch being applied; used by the one thread that drains. */
    private final Outgoing acks = new Outgoing();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gnomon-sub-task-reports");
        t.setDaemon(true);
        return t;
    });

    /** A sub-task that ended for good: its instance's next step is for the loop to take. */
    private record Ended(String taskKey, AttemptEnd end, String message) {
    }

    /** What a committed batch leaves to the loop. */
    private record Settle(Map<Long, Long> floors, Map<Long, Long> retried, Set<Long> started,
                          Map<Long, Ended> ended) {
    }

    /**
     * @param others applies, on the loop, a report that is not a map sub-task's
     * @param readWaitingFrom makes the loop's next passes read an app's waiting tasks from an id on (app, id)
     */
    public SubTaskReports(InstanceStore instances, TaskStore tasks, JobStore jobs,
                          LeaseKeeper leases, Clock clock, ReportHandler reports, DispatchLoop loop,
                          BiConsumer<WorkerSession, TaskReport> others, BiConsumer<Long, Long> readWaitingFrom,
                          CompletionListener completions, Runnable onSlotFreed) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.leases = leases;
        this.clock = clock;
        this.reports = reports;
        this.loop = loop;
        this.others = others;
        this.readWaitingFrom = readWaitingFrom;
        this.completions = completions;
        this.onSlotFreed = onSlotFreed;
        this.outcomes = new Outcomes(instances, tasks);
    }

    /** Queues a report and has this class's thread apply it. */
    public void enqueue(WorkerSession session, TaskReport report) {
        queue.add(new Queued(session, report));
        if (draining.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    draining.set(false);
                    drain();
                });
            } catch (RejectedExecutionException e) {
                // the server is stopping: the worker sends the report again to the next owner
                LOG.debug("report of task {} dropped: the server is stopping", report.taskId());
            }
        }
    }

    /** Applies the queued reports, a batch per transaction, on the caller's thread; one caller at a time. */
    synchronized void drain() {
        while (ReportHandler.applyNextBatch(queue, this::apply)) {
            // until the queue is empty
        }
    }

    private void apply(List<Queued> batch) {
        List<Runnable> after = new ArrayList<>();
        List<Queued> passedOn = new ArrayList<>();
        Map<Long, Long> floors = new HashMap<>();
        Map<Long, Long> retried = new HashMap<>();
        Set<Long> started = new HashSet<>();
        Map<Long, Ended> ended = new LinkedHashMap<>();
        long now = clock.millis();
        instances.jdbi().useTransaction(h -> {
            instances.preferIndexes(h);
            after.clear();
            passedOn.clear();
            floors.clear();
            retried.clear();
            started.clear();
            ended.clear();
            Set<Long> taskIds = new HashSet<>();
            for (Queued q : batch) {
                taskIds.add(q.report().taskId());
            }
            Map<Long, TaskRow> view = new HashMap<>(tasks.findAll(h, taskIds));
            Set<Long> instanceIds = new HashSet<>();
            view.values().forEach(t -> instanceIds.add(t.instanceId()));
            Map<Long, InstanceRow> insts = instances.findAll(h, instanceIds);
            BatchWrites writes = new BatchWrites();
            Map<Fence, List<TaskStore.NewTask>> retries = new LinkedHashMap<>();
            for (Queued q : batch) {
                TaskReport report = q.report();
                TaskRow task = view.get(report.taskId());
                InstanceRow inst = task == null ? null : insts.get(task.instanceId());
                JobRow job = inst == null ? null : jobs.findRecent(inst.jobId()).orElse(null);
                if (job == null || !isSubTask(job, task)) {
                    passedOn.add(q);
                    continue;
                }
                Optional<Fence> fence = leases.fence(task.appId());
                if (fence.isEmpty()) {
                    LOG.info("report for task {} of app {} which this server no longer owns; not acknowledged",
                        task.id(), task.appId());
                    continue;
                }
                after.add(() -> acks.add(q.session(), new Ack(Ack.AckKind.REPORT, report.taskId(), report.attempt(),
                    report.seq())));
                if (task.attempt() == report.attempt() && report.seq() <= task.lastReportSeq()) {
                    continue;
                }
                if (task.attempt() != report.attempt() || task.terminal()) {
                    reports.refuse(h, q.session(), task, report, now);
                    continue;
                }
                TaskRow next;
                if (!report.phase().terminal()) {
                    if (!task.state().equals(TaskStore.DISPATCHED)) {
                        continue;
                    }
                    next = task.moved(TaskStore.RUNNING, task.result(), report.seq(), now, task.finishedAt());
                    if (inst.state() == InstanceState.DISPATCHED) {
                        started.add(inst.id());
                    }
                } else {
                    after.add(() -> {
                        q.session().taskEnded();
                        onSlotFreed.run();
                    });
                    next = task.moved(report.phase().name(), report.message() != null ? report.message()
                        : task.result(), report.seq(), ReportHandler.startedAt(task, report, now), now);
                    AttemptEnd end = ReportHandler.toEnd(report);
                    Optional<TaskStore.NewTask> again = Outcomes.retry(job, task, end, now);
                    if (again.isPresent()) {
                        retries.computeIfAbsent(fence.get(), f -> new ArrayList<>()).add(again.get());
                        retried.put(inst.id(), task.appId());
                    } else {
                        ended.put(inst.id(), new Ended(task.taskKey(), end, report.message()));
                    }
                }
                writes.task(fence.get(), task, next);
                view.put(next.id(), next);
            }
            writes.flush(h, tasks, instances, now);
            if (!retries.isEmpty()) {
                long floor = tasks.maxId(h);
                retried.values().forEach(app -> floors.put(app, floor + 1));
                retries.forEach((fence, next) -> tasks.insertWaiting(h, fence, next));
            }
        });
        after.forEach(Runnable::run);
        acks.send();
        if (!retried.isEmpty() || !started.isEmpty() || !ended.isEmpty()) {
            toSettle.add(new Settle(Map.copyOf(floors), Map.copyOf(retried), Set.copyOf(started),
                new LinkedHashMap<>(ended)));
            loop.coalesce(settlePending);
        }
        passedOn.forEach(q -> others.accept(q.session(), q.report()));
    }

    /** A task this class applies the reports of: a sub-task (not the root, not the reduce step) of a map mode. */
    private static boolean isSubTask(JobRow job, TaskRow task) {
        ExecutionMode mode = JobModes.mode(job);
        return (mode == ExecutionMode.MAP || mode == ExecutionMode.MAP_REDUCE) && MapTasks.isSubTaskKey(task.taskKey());
    }

    /** On the loop: what every batch committed since the last such step left, in one transaction. */
    private void settlePending() {
        Map<Long, Long> floors = new HashMap<>();
        Map<Long, Long> retried = new HashMap<>();
        Set<Long> started = new HashSet<>();
        Map<Long, Ended> ended = new LinkedHashMap<>();
        Settle s;
        while ((s = toSettle.poll()) != null) {
            s.floors().forEach((app, id) -> floors.merge(app, id, Math::min));
            retried.putAll(s.retried());
            started.addAll(s.started());
            ended.putAll(s.ended());
        }
        if (!retried.isEmpty() || !started.isEmpty() || !ended.isEmpty()) {
            settle(new Settle(floors, retried, started, ended));
        }
    }

    /**
     * On the loop, after a batch committed: the apps with new waiting tasks are read from below
     * them; instances whose sub-tasks started are RUNNING; each instance that had a sub-task end
     * for good takes its next step if none is unfinished. A next attempt written for an instance
     * that ended meanwhile (stopped as the batch committed) is stopped too.
     */
    private void settle(Settle settle) {
        settle.floors().forEach(readWaitingFrom);
        long now = clock.millis();
        List<Runnable> after = new ArrayList<>();
        instances.jdbi().useTransaction(h -> {
            instances.preferIndexes(h);
            after.clear();
            Set<Long> ids = new HashSet<>(settle.started());
            ids.addAll(settle.ended().keySet());
            ids.addAll(settle.retried().keySet());
            Map<Long, InstanceRow> insts = instances.findAll(h, ids);
            for (Long id : settle.retried().keySet()) {
                InstanceRow inst = insts.get(id);
                Optional<Fence> fence = inst == null ? Optional.empty() : leases.fence(inst.appId());
                if (fence.isPresent() && inst.state().terminal()) {
                    tasks.endWaiting(h, fence.get(), id, TaskStore.STOPPED, "the instance had ended: " + inst.state(),
                        now);
                }
            }
            for (Long id : settle.started()) {
                InstanceRow inst = insts.get(id);
                Optional<Fence> fence = inst == null ? Optional.empty() : leases.fence(inst.appId());
                if (fence.isPresent() && inst.state() == InstanceState.DISPATCHED && instances.change(h, fence.get(), id,
                    EnumSet.of(InstanceState.DISPATCHED), InstanceChange.to(InstanceState.RUNNING), now)) {
                    insts.put(id, InstanceChange.to(InstanceState.RUNNING).applyTo(inst));
                }
            }
            settle.ended().forEach((id, e) -> {
                InstanceRow inst = insts.get(id);
                Optional<Fence> fence = inst == null ? Optional.empty() : leases.fence(inst.appId());
                JobRow job = inst == null ? null : jobs.findRecent(inst.jobId()).orElse(null);
                if (fence.isEmpty() || job == null || inst.state().terminal()) {
                    return;
                }
                InstanceState state = outcomes.afterEnd(h, fence.get(), inst, job, e.taskKey(), e.end(), e.message(), now);
                if (state.terminal()) {
                    after.add(() -> completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now));
                }
            });
        });
        after.forEach(Runnable::run);
    }

    /**
     * On the loop: takes the next step of live map instances of the apps owned here whose tasks all
     * ended without it being taken (the server that wrote the last ends stopped before it looked,
     * or the look failed). Returns how many were looked at.
     */
    public int settleStuck() {
        List<Long> stuck = tasks.subTasks().unsettled(leases.owned(), STUCK_PER_SWEEP);
        if (stuck.isEmpty()) {
            return 0;
        }
        Map<Long, Ended> ended = new LinkedHashMap<>();
        for (Long id : stuck) {
            LOG.info("map instance {} has no unfinished task and did not take its next step; taking it", id);
            ended.put(id, new Ended(TaskStore.ROOT, AttemptEnd.SUCCEEDED, null));
        }
        settle(new Settle(Map.of(), Map.of(), Set.of(), ended));
        return stuck.size();
    }

    /** Waits (at most 10 s) until the reports queued before the call are applied. */
    void awaitApplied() throws Exception {
        thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
