package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.RefusedReportStore;
import dev.gnomon.server.store.SubTaskStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Clock;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what workers report. A report is acknowledged once its effect is committed. Reports are
 * idempotent by (task, attempt, seq): one at or below the attempt's last applied sequence number
 * is a resend, acknowledged again and applied never twice. A report on an attempt that already
 * ended or was replaced (its worker was declared lost, say) is refused: acknowledged, so the
 * worker stops resending it, recorded in {@code refused_reports}, and not applied (decision 6).
 */
public final class ReportHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ReportHandler.class);

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final RefusedReportStore refused;
    private final LeaseKeeper leases;
    private final Outcomes outcomes;
    private final Clock clock;
    private final CompletionListener completions;
    private final Runnable onSlotFreed;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();

    /** A report as it came, with the channel it came on. */
    record Queued(WorkerSession session, TaskReport report) {
    }

    /** Reports applied in one transaction at most (a pass of 512 slots ends in about two). */
    static final int BATCH = 512;
    /**
     * Acknowledgements of the batch being applied, sent together once it committed. Used on the
     * dispatch loop only, one batch at a time.
     */
    private final Outgoing acks = new Outgoing();

    public ReportHandler(InstanceStore instances, TaskStore tasks, JobStore jobs, RefusedReportStore refused,
                         LeaseKeeper leases, Clock clock, CompletionListener completions, Runnable onSlotFreed) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.refused = refused;
        this.leases = leases;
        this.outcomes = new Outcomes(instances, tasks);
        this.clock = clock;
        this.completions = completions;
        this.onSlotFreed = onSlotFreed;
    }

    /** Queues a report; {@link #drain()} applies it. */
    public void enqueue(WorkerSession session, TaskReport report) {
        queue.add(new Queued(session, report));
    }

    /**
     * Applies the queued reports, many in one transaction, then acknowledges them; runs on the
     * {@link DispatchLoop}. A batch that fails is applied again one report at a time, so one bad
     * report cannot hold the others back.
     */
    public void drain() {
        while (drainBatch()) {
            // until the queue is empty
        }
    }

    /**
     * Applies one batch of the queued reports, as {@link #drain()} does; returns whether more are
     * queued. The loop applies one batch per step, so that a dispatch pass queued by the slots a
     * batch freed runs before the next batch: workers run new tasks while the server applies the
     * reports of earlier ones.
     */
    public boolean drainBatch() {
        applyNextBatch(queue, this::applyBatch);
        return !queue.isEmpty();
    }

    /**
     * Takes up to {@link #BATCH} reports off {@code queue} and applies them together; if that
     * fails, one at a time, so that one bad report cannot hold the others back (a report that
     * fails alone is sent again by its worker). False when the queue was empty.
     */
    static boolean applyNextBatch(Queue<Queued> queue, Consumer<List<Queued>> apply) {
        List<Queued> batch = new ArrayList<>();
        Queued q;
        while (batch.size() < BATCH && (q = queue.poll()) != null) {
            batch.add(q);
        }
        if (batch.isEmpty()) {
            return false;
        }
        try {
            apply.accept(batch);
        } catch (RuntimeException e) {
            LOG.debug("report batch of {} failed ({}); applying one at a time", batch.size(), e.toString());
            for (Queued one : batch) {
                try {
                    apply.accept(List.of(one));
                } catch (RuntimeException ex) {
                    LOG.warn("report {} of task {} not applied; the worker will send it again: {}",
                        one.report().phase(), one.report().taskId(), ex.toString());
                }
            }
        }
        return true;
    }

    /** Applies one report now; for callers that hold a single report. */
    public void apply(WorkerSession session, TaskReport report) {
        applyBatch(List.of(new Queued(session, report)));
    }

    private void applyBatch(List<Queued> batch) {
        List<Runnable> after = new ArrayList<>();
        long now = clock.millis();
        Map<Long, JobRow> jobCache = new HashMap<>();
        Map<Long, InstanceRow> running = new HashMap<>();
        instances.jdbi().useTransaction(h -> {
            instances.preferIndexes(h);
            after.clear();
            running.clear();
            Staged staged = new Staged(h, now, after);
            staged.load(batch, jobCache);
            for (Queued q : batch) {
                if (!staged.apply(q.session(), q.report())) {
                    applyOne(h, q.session(), q.report(), now, jobCache, running, after);
                }
            }
            staged.flush();
        });
        after.forEach(Runnable::run);
        acks.send();
    }

    /**
     * The reports of a batch, applied to rows read once for the whole batch and written back once
     * per task and per instance at the end, in JDBC batches: a task's start and end reports in one
     * batch cost one write of the task and one of its instance. For the modes of many tasks, the
     * tasks that ended for good are written first; then each instance with such a task is looked
     * at once (are others unfinished? if not, the mode's next step or the instance's end), however
     * many of its tasks ended in the batch.
     */
    private final class Staged {

        private final Handle h;
        private final long now;
        private final List<Runnable> after;
        private final Map<Long, TaskRow> taskView = new HashMap<>();
        private final Map<Long, InstanceRow> instanceView = new HashMap<>();
        private final Map<Long, JobRow> jobOf = new HashMap<>();
        private final BatchWrites writes = new BatchWrites();
        /** Next attempts of tasks tried again, per lease. */
        private final Map<Fence, List<TaskStore.NewTask>> retries = new LinkedHashMap<>();
        /** Per instance of many tasks, the task that ended for good in this batch (a reduce or post-step first). */
        private final Map<Long, Ended> ended = new LinkedHashMap<>();

        private record Ended(Fence fence, TaskRow task, AttemptEnd end, String message) {
        }

        Staged(Handle h, long now, List<Runnable> after) {
            this.h = h;
            this.now = now;
            this.after = after;
        }

        /** Reads the batch's tasks, their instances and jobs: a few queries for the whole batch. */
        void load(List<Queued> batch, Map<Long, JobRow> jobCache) {
            Set<Long> taskIds = new HashSet<>();
            for (Queued q : batch) {
                taskIds.add(q.report().taskId());
            }
            Map<Long, TaskRow> found = tasks.findAll(h, taskIds);
            Set<Long> instanceIds = new HashSet<>();
            for (TaskRow t : found.values()) {
                instanceIds.add(t.instanceId());
            }
            Map<Long, InstanceRow> insts = instances.findAll(h, instanceIds);
            for (TaskRow t : found.values()) {
                InstanceRow inst = insts.get(t.instanceId());
                if (inst == null) {
                    continue;
                }
                JobRow job = jobCache.computeIfAbsent(inst.jobId(), id -> jobs.findRecent(id).orElse(null));
                if (job == null || JobModes.mode(job) == ExecutionMode.STANDALONE && !t.taskKey().equals(TaskStore.ROOT)) {
                    continue;
                }
                taskView.put(t.id(), t);
                instanceView.put(inst.id(), inst);
                jobOf.put(inst.id(), job);
            }
        }

        /** Applies the report if its task was read by {@link #load}; false to leave it to {@link #applyOne}. */
        boolean apply(WorkerSession session, TaskReport report) {
            TaskRow task = taskView.get(report.taskId());
            if (task == null) {
                return false;
            }
            Optional<Fence> fence = leases.fence(task.appId());
            if (fence.isEmpty()) {
                LOG.info("report for task {} of app {} which this server no longer owns; not acknowledged",
                    task.id(), task.appId());
                return true;
            }
            after.add(() -> ack(session, report));
            if (task.attempt() == report.attempt() && report.seq() <= task.lastReportSeq()) {
                return true;
            }
            if (task.attempt() != report.attempt() || task.terminal()) {
                refuse(h, session, task, report, now);
                return true;
            }
            InstanceRow inst = instanceView.get(task.instanceId());
            if (!report.phase().terminal()) {
                if (task.state().equals(TaskStore.DISPATCHED)) {
                    write(fence.get(), task, task.moved(TaskStore.RUNNING, task.result(), report.seq(), now,
                        task.finishedAt()));
                }
                if (inst.state() == InstanceState.DISPATCHED) {
                    change(fence.get(), inst, InstanceChange.to(InstanceState.RUNNING));
                }
                return true;
            }
            after.add(() -> {
                session.taskEnded();
                onSlotFreed.run();
            });
            write(fence.get(), task, task.moved(report.phase().name(),
                report.message() != null ? report.message() : task.result(), report.seq(), startedAt(task, report, now),
                now));
            JobRow job = jobOf.get(inst.id());
            AttemptEnd end = toEnd(report);
            if (JobModes.mode(job) != ExecutionMode.STANDALONE) {
                Optional<TaskStore.NewTask> again = Outcomes.retry(job, task, end, now);
                if (again.isPresent()) {
                    retries.computeIfAbsent(fence.get(), f -> new ArrayList<>()).add(again.get());
                } else {
                    Ended before = ended.get(inst.id());
                    if (before == null || !closing(before.task())) {
                        ended.put(inst.id(), new Ended(fence.get(), task, end, report.message()));
                    }
                }
                return true;
            }
            if (inst.state() != InstanceState.DISPATCHED && inst.state() != InstanceState.RUNNING) {
                return true;
            }
            InstanceChange change = Outcomes.afterAttempt(inst, job, end, report.message(), now);
            change(fence.get(), inst, change);
            if (change.state().terminal()) {
                after.add(() -> completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now));
            }
            return true;
        }

        /** A reduce step or broadcast post-step: the last task of its instance, whose end decides it. */
        private boolean closing(TaskRow task) {
            return task.taskKey().equals(SubTaskStore.REDUCE) || task.taskKey().equals(TaskStore.POST);
        }

        private void write(Fence fence, TaskRow task, TaskRow next) {
            writes.task(fence, task, next);
            taskView.put(next.id(), next);
        }

        private void change(Fence fence, InstanceRow inst, InstanceChange change) {
            instanceView.put(inst.id(), writes.instance(fence, inst, change));
        }

        /**
         * Writes the batch's changes, stores the next attempts of tasks tried again, then settles
         * each instance of many tasks that had a task end for good.
         */
        void flush() {
            writes.flush(h, tasks, instances, now);
            retries.forEach((fence, next) -> tasks.insertWaiting(h, fence, next));
            ended.forEach((instanceId, e) -> {
                InstanceRow inst = instanceView.get(instanceId);
                InstanceState state = outcomes.afterEnd(h, e.fence(), inst, jobOf.get(instanceId), e.task(), e.end(),
                    e.message(), now);
                if (state.terminal() && !inst.state().terminal()) {
                    after.add(() -> completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now));
                }
            });
        }
    }

    /**
     * Applies one report of a batch. {@code running} holds the batch's instances known to be
     * RUNNING, so that the many tasks of one instance starting together cost one read of it.
     */
    private void applyOne(Handle h, WorkerSession session, TaskReport report, long now, Map<Long, JobRow> jobCache,
                          Map<Long, InstanceRow> running, List<Runnable> after) {
        Optional<TaskRow> found = tasks.find(h, report.taskId());
        if (found.isEmpty()) {
            LOG.warn("worker {} reported {} for unknown task {}; acknowledged and ignored", session.workerId(),
                report.phase(), report.taskId());
            after.add(() -> ack(session, report));
            return;
        }
        TaskRow task = found.get();
        Optional<Fence> fence = leases.fence(task.appId());
        if (fence.isEmpty()) {
            LOG.info("report for task {} of app {} which this server no longer owns; not acknowledged",
                task.id(), task.appId());
            return;
        }
        if (task.attempt() == report.attempt() && report.seq() <= task.lastReportSeq()) {
            // (task, attempt, seq) was applied already: the worker did not hear the acknowledgement.
            after.add(() -> ack(session, report));
            return;
        }
        if (task.attempt() != report.attempt() || task.terminal()) {
            refuse(h, session, task, report, now);
            after.add(() -> ack(session, report));
            return;
        }
        InstanceRow known = running.get(task.instanceId());
        InstanceRow inst = known != null ? known : instances.find(h, task.instanceId()).orElseThrow();
        after.add(() -> ack(session, report));
        if (!report.phase().terminal()) {
            tasks.change(h, fence.get(), task.id(), task.attempt(), TaskStore.RUNNING, null, report.seq(), now);
            if (known == null) {
                if (inst.state() == InstanceState.DISPATCHED) {
                    instances.change(h, fence.get(), inst.id(), EnumSet.of(InstanceState.DISPATCHED),
                        InstanceChange.to(InstanceState.RUNNING), now);
                }
                running.put(inst.id(), inst);
            }
            return;
        }
        running.remove(inst.id());
        after.add(() -> {
            session.taskEnded();
            onSlotFreed.run();
        });
        if (!tasks.change(h, fence.get(), task.id(), task.attempt(), report.phase().name(), report.message(),
            report.seq(), now, report.phase() != TaskPhase.REFUSED)) {
            return;
        }
        JobRow job = jobCache.computeIfAbsent(inst.jobId(), jobs::getRecent);
        InstanceState state = outcomes.taskEnded(h, fence.get(), inst, job, task, toEnd(report), report.message(), now);
        if (state.terminal()) {
            after.add(() -> completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now));
        }
    }

    /**
     * A report on an attempt that already ended: acknowledged so the worker stops resending it,
     * and recorded unless the worker merely agrees with how the server ended it (a stop).
     */
    void refuse(Handle h, WorkerSession session, TaskRow task, TaskReport report, long now) {
        if (task.attempt() == report.attempt() && task.state().equals(report.phase().name())) {
            return;
        }
        String reason = task.attempt() != report.attempt()
            ? "the task is at attempt " + task.attempt() + ", not " + report.attempt()
            : "attempt " + task.attempt() + " had already ended as " + task.state()
                + (task.result() == null ? "" : " (" + task.result() + ")");
        if (refused.record(h, task.instanceId(), task.id(), report.attempt(), report.seq(), session.workerId(),
            report.phase(), report.message(), reason, now)) {
            LOG.info("refused late report from worker {}: task {} attempt {} says {}, but {}; recorded on instance {}",
                session.workerId(), task.id(), report.attempt(), report.phase(), reason, task.instanceId());
        }
    }

    /**
     * When an ending attempt started: as stored, or now for one whose worker sent its end without a
     * start report (a short task); a refused attempt never started.
     */
    static Long startedAt(TaskRow task, TaskReport report, long now) {
        if (task.startedAt() != null || report.phase() == TaskPhase.REFUSED) {
            return task.startedAt();
        }
        return now;
    }

    static AttemptEnd toEnd(TaskReport report) {
        return switch (report.phase()) {
            case SUCCEEDED -> AttemptEnd.SUCCEEDED;
            case FAILED -> AttemptEnd.FAILED;
            case TIMED_OUT -> AttemptEnd.TIMED_OUT;
            case STOPPED -> AttemptEnd.STOPPED;
            case REFUSED -> AttemptEnd.REFUSED;
            case STARTED -> throw new IllegalArgumentException("STARTED does not end an attempt");
        };
    }

    private void ack(WorkerSession session, TaskReport report) {
        acks.add(session, new Ack(Ack.AckKind.REPORT, report.taskId(), report.attempt(), report.seq()));
    }
}
