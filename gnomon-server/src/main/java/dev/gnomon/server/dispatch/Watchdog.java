package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.FencedException;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import dev.gnomon.server.store.WorkerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after running work: attempts past their timeout, workers that went silent (SUSPECT,
 * then LOST), and tasks a reconnected worker no longer has. Runs on the {@link DispatchLoop}.
 */
public final class Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    /** Attempts ended in one transaction when a worker is lost. */
    private static final int CHUNK = 500;
    /** Attempts past their timeout ended per sweep; more wait for the next sweep. */
    private static final int OVERDUE_PER_SWEEP = 1000;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final WorkerStore workerStore;
    private final LeaseKeeper leases;
    private final WorkerRegistry workers;
    private final Outcomes outcomes;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Duration suspectAfter;
    private final Duration lostAfter;
    private final Duration timeoutGrace;
    private final CompletionListener completions;
    /** Queues a dispatch pass: attempts the watchdog ends send their instances to retries that may be due at once. */
    private final Runnable wakeDispatch;
    /** Tasks a worker did not list as running when it reconnected: lost unless it reports them by then. */
    private final Map<Long, Long> unconfirmedUntilNanos = new ConcurrentHashMap<>();

    public Watchdog(InstanceStore instances, TaskStore tasks, JobStore jobs, WorkerStore workerStore,
                    LeaseKeeper leases, WorkerRegistry workers, Clock clock, LongSupplier nanoTime,
                    Duration suspectAfter, Duration lostAfter, Duration timeoutGrace, CompletionListener completions,
                    Runnable wakeDispatch) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.workerStore = workerStore;
        this.leases = leases;
        this.workers = workers;
        this.outcomes = new Outcomes(instances, tasks);
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.suspectAfter = suspectAfter;
        this.lostAfter = lostAfter;
        this.timeoutGrace = timeoutGrace;
        this.completions = completions;
        this.wakeDispatch = wakeDispatch;
    }

    public void sweep() {
        checkWorkers();
        checkTimeouts();
        checkUnconfirmed();
    }

    /** Marks workers silent past suspect-after SUSPECT and those silent past lost-after LOST, ending their attempts. */
    void checkWorkers() {
        checkSilentWorkers();
        checkGoneWorkers();
    }

    /** A reconnected worker did not list this task; give its resent report a chance first. */
    public void unconfirmed(long taskId, Duration patience) {
        unconfirmedUntilNanos.put(taskId, nanoTime.getAsLong() + patience.toNanos());
    }

    /**
     * A reconnected worker did not list a live task of its own. One still DISPATCHED most likely
     * never reached it (the channel dropped with the dispatch on the way): it is sent again, as
     * the same attempt, and the worker runs it once or answers with what it already reported.
     * Either way the task is lost unless the worker reports on it within {@code patience}.
     */
    public void missing(TaskRow task, WorkerSession session, Duration patience) {
        unconfirmed(task.id(), patience);
        if (!task.state().equals(TaskStore.DISPATCHED)) {
            return;
        }
        InstanceRow inst = instances.get(task.instanceId());
        Optional<JobRow> job = jobs.find(inst.jobId());
        // a standalone instance's attempt is its task's; a shard or broadcast task has attempts of its own
        boolean current = !task.taskKey().equals(TaskStore.ROOT) || inst.attempt() == task.attempt();
        if (job.isPresent() && current) {
            LOG.info("worker {} came back without task {} (attempt {}), dispatched while it was away: sending it again",
                session.workerId(), task.id(), task.attempt());
            session.taskStarted();
            session.send(TaskAssigner.message(instances, tasks, task, inst, job.get(), new HashMap<>()));
        }
    }

    /** The worker still runs the task: it is adopted, not lost. */
    public void confirmed(long taskId) {
        unconfirmedUntilNanos.remove(taskId);
    }

    private void checkSilentWorkers() {
        long now = nanoTime.getAsLong();
        for (WorkerSession s : workers.sessions()) {
            long silent = now - s.lastSeenNanos();
            if (silent >= lostAfter.toNanos()) {
                LOG.info("worker {} silent for {} ms on an open channel: closing it", s.workerId(), silent / 1_000_000);
                s.close("no heartbeat for " + silent / 1_000_000 + " ms");
                workers.disconnected(s, s.lastSeenNanos());
            } else if (silent >= suspectAfter.toNanos() && !s.isSuspect()) {
                LOG.info("worker {} silent for {} ms: SUSPECT (its tasks are left alone)", s.workerId(),
                    silent / 1_000_000);
                s.markSuspect();
                workerStore.state(s.appId(), s.workerId(), "SUSPECT");
            }
        }
    }

    /**
     * Workers whose channel closed: SUSPECT once silent for {@code suspectAfter}, LOST once silent
     * for {@code lostAfter}. A channel that drops and comes back within the suspect time leaves no
     * trace, so a link that breaks every few seconds does not make a worker flap.
     */
    private void checkGoneWorkers() {
        long now = nanoTime.getAsLong();
        for (long appId : leases.owned()) {
            workers.gone(appId).forEach((workerId, sinceNanos) -> {
                long silent = now - sinceNanos;
                if (silent < lostAfter.toNanos()) {
                    if (silent >= suspectAfter.toNanos() && workers.markGoneSuspect(appId, workerId)) {
                        LOG.info("worker {} away for {} ms: SUSPECT (its tasks are left alone until it is LOST after"
                            + " {} ms)", workerId, silent / 1_000_000, lostAfter.toMillis());
                        workerStore.state(appId, workerId, "SUSPECT");
                    }
                    return;
                }
                workers.forgetGone(appId, workerId);
                workerStore.state(appId, workerId, "LOST");
                LOG.warn("worker {} away for {} ms: LOST; its tasks follow their retry policy", workerId,
                    silent / 1_000_000);
                endAttempts(appId, tasks.boundToWorker(appId, workerId), AttemptEnd.WORKER_LOST,
                    TaskStore.WORKER_LOST, "worker " + workerId + " lost (silent past gnomon.worker.lost-after)");
            });
        }
    }

    private void checkUnconfirmed() {
        long now = nanoTime.getAsLong();
        unconfirmedUntilNanos.forEach((taskId, until) -> {
            if (now < until) {
                return;
            }
            unconfirmedUntilNanos.remove(taskId);
            tasks.find(taskId).filter(t -> !t.terminal()).ifPresent(t -> endAttempt(t, AttemptEnd.WORKER_LOST,
                TaskStore.WORKER_LOST, "worker " + t.workerId() + " reconnected without this task"));
        });
    }

    private void checkTimeouts() {
        long now = clock.millis();
        for (TaskRow task : tasks.overdue(leases.owned(), now, timeoutGrace.toMillis(), OVERDUE_PER_SWEEP)) {
            JobRow job = jobs.findRecent(instances.get(task.instanceId()).jobId()).orElse(null);
            if (job == null) {
                continue;
            }
            workers.session(task.appId(), task.workerId()).ifPresent(s ->
                s.send(new StopTask(task.id(), task.attempt(), StopReason.TIMEOUT)));
            endAttempt(task, AttemptEnd.TIMED_OUT, "TIMED_OUT", "ran past its timeout of "
                + job.timeoutMs() + " ms and the worker did not stop it within "
                + timeoutGrace.toMillis() + " ms");
        }
    }

    /**
     * Ends many live attempts of one app on the server's own authority, {@value #CHUNK} to a
     * transaction: those of standalone instances in JDBC batches (a worker lost with a thousand
     * running tasks costs a few statements, not thousands), the others one at a time, as their
     * outcome depends on their sibling tasks. A chunk that fails is ended one task at a time.
     */
    void endAttempts(long appId, List<TaskRow> ended, AttemptEnd end, String taskState, String why) {
        Optional<Fence> fence = leases.fence(appId);
        if (fence.isEmpty() || ended.isEmpty()) {
            return;
        }
        Map<Long, JobRow> jobCache = new HashMap<>();
        for (int from = 0; from < ended.size(); from += CHUNK) {
            List<TaskRow> chunk = ended.subList(from, Math.min(ended.size(), from + CHUNK));
            long now = clock.millis();
            List<TaskRow> oneByOne = new ArrayList<>();
            List<Runnable> after = new ArrayList<>();
            try {
                instances.jdbi().useTransaction(h -> {
                    instances.preferIndexes(h);
                    oneByOne.clear();
                    after.clear();
                    Set<Long> ids = new HashSet<>();
                    chunk.forEach(t -> ids.add(t.instanceId()));
                    Map<Long, InstanceRow> view = instances.findAll(h, ids);
                    BatchWrites writes = new BatchWrites();
                    for (TaskRow task : chunk) {
                        InstanceRow inst = view.get(task.instanceId());
                        JobRow job = inst == null ? null
                            : jobCache.computeIfAbsent(inst.jobId(), id -> jobs.findRecent(id).orElse(null));
                        if (job == null || task.terminal() || !task.taskKey().equals(TaskStore.ROOT)
                            || JobModes.mode(job) != ExecutionMode.STANDALONE) {
                            oneByOne.add(task);
                            continue;
                        }
                        writes.task(fence.get(), task, task.moved(taskState, why, task.lastReportSeq(), task.startedAt(),
                            now));
                        after.add(() -> workers.session(task.appId(), task.workerId()).ifPresent(WorkerSession::taskEnded));
                        if (inst.state() != InstanceState.DISPATCHED && inst.state() != InstanceState.RUNNING) {
                            continue;
                        }
                        InstanceChange change = Outcomes.afterAttempt(inst, job, end, why, now);
                        view.put(inst.id(), writes.instance(fence.get(), inst, change));
                        if (change.state().terminal()) {
                            after.add(() -> completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now));
                        }
                    }
                    writes.flush(h, tasks, instances, now);
                });
            } catch (FencedException e) {
                LOG.warn("{} tasks left alone: {}", chunk.size(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.info("ending {} tasks together failed ({}); ending them one at a time", chunk.size(), e.toString());
                after.clear();
                oneByOne.clear();
                oneByOne.addAll(chunk);
            }
            after.forEach(Runnable::run);
            if (oneByOne.size() < chunk.size()) {
                LOG.info("{} tasks of standalone instances: {}", chunk.size() - oneByOne.size(), why);
            }
            oneByOne.forEach(t -> endAttempt(t, end, taskState, why));
        }
        wakeDispatch.run();
    }

    /** Ends a live attempt on the server's own authority (worker lost, timeout not honoured). */
    void endAttempt(TaskRow task, AttemptEnd end, String taskState, String why) {
        Optional<Fence> fence = leases.fence(task.appId());
        if (fence.isEmpty()) {
            return;
        }
        long now = clock.millis();
        InstanceRow inst = instances.get(task.instanceId());
        InstanceState state;
        try {
            state = instances.jdbi().inTransaction(h -> {
                if (!tasks.change(h, fence.get(), task.id(), task.attempt(), taskState, why, task.lastReportSeq(), now)) {
                    return inst.state();
                }
                return outcomes.taskEnded(h, fence.get(), inst, jobs.getRecent(inst.jobId()), task, end, why, now);
            });
        } catch (FencedException e) {
            LOG.warn("task {} left alone: {}", task.id(), e.getMessage());
            return;
        }
        workers.session(task.appId(), task.workerId()).ifPresent(WorkerSession::taskEnded);
        LOG.info("task {} of instance {}: {}; instance is now {}", task.id(), inst.id(), why, state);
        if (state.terminal()) {
            completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now);
        }
        wakeDispatch.run();
    }
}
