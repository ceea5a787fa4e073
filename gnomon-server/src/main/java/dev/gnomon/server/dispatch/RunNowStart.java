package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.job.JobModes;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.NewInstance;
import dev.gnomon.server.store.TaskStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a run-now instance in the transaction that records it: the instance is stored already
 * dispatched to a worker with a free slot, together with its task, and sent once committed. That
 * is one commit between the call and the worker, where the usual way takes a commit, a wake of
 * the loop, a pass reading the waiting instances and a second commit.
 *
 * <p>The start takes the {@link DispatchLoop}'s turn on the caller's thread, so no pass runs
 * meanwhile and the job's maxConcurrent is counted as a pass counts it; and only while the loop
 * is idle, so that callers under load never wait for dispatch work (they record the usual way,
 * in parallel). It declines, and the caller records the instance waiting, unless the job runs
 * standalone without a per-worker limit, has no instance waiting (which a pass would start
 * first), is under its maxConcurrent, and an allowed worker has a free slot.
 */
final class RunNowStart {

    private static final Logger LOG = LoggerFactory.getLogger(RunNowStart.class);

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final LeaseKeeper leases;
    private final WorkerRegistry workers;
    private final WorkerSelector selector;
    private final DispatchLoop loop;
    private final Clock clock;
    /** Told the job of each instance started here, outside a pass. */
    private final LongConsumer startedOutsidePass;

    RunNowStart(InstanceStore instances, TaskStore tasks, JobStore jobs, LeaseKeeper leases, WorkerRegistry workers,
                WorkerSelector selector, DispatchLoop loop, Clock clock, LongConsumer startedOutsidePass) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.leases = leases;
        this.workers = workers;
        this.selector = selector;
        this.loop = loop;
        this.clock = clock;
        this.startedOutsidePass = startedOutsidePass;
    }

    /** A run-now instance recorded as dispatched: its id, its task, its worker, when and with how many attempts. */
    record Started(long instanceId, long taskId, String workerId, long createdAt, int maxAttempts) {
    }

    /**
     * Records and starts one instance of the job with these parameters, or answers empty (having
     * recorded nothing) when it should be recorded the usual way. {@code requestKey} is the call's
     * idempotency key, or null; a key the job's instances hold already throws
     * {@link dev.gnomon.server.store.DuplicateRunException}, having stored and sent nothing.
     */
    Optional<Started> run(long appId, long jobId, String params, String requestKey) {
        if (!roomIn(appId)) {
            return Optional.empty();
        }
        List<Optional<Started>> started = new ArrayList<>(1);
        if (!loop.runIfIdle(() -> started.add(start(jobId, params, requestKey)))) {
            return Optional.empty();
        }
        return started.get(0);
    }

    /** Whether a worker of the app connected here has a free slot, so that a pass could start something. */
    boolean roomIn(long appId) {
        return workers.ofApp(appId).stream().anyMatch(WorkerSession::hasRoom);
    }

    /** In the loop's turn: decides, records in one transaction, then sends. */
    private Optional<Started> start(long jobId, String params, String requestKey) {
        JobRow job = jobs.getRecent(jobId);
        Optional<Fence> fence = leases.fence(job.appId());
        WorkerSelection sel = JobModes.selection(job);
        if (fence.isEmpty() || JobModes.mode(job) != ExecutionMode.STANDALONE || sel.maxTasksPerWorker() != null) {
            return Optional.empty();
        }
        List<WorkerSession> allowed = selector.allowed(job.appId(), job.processor(), sel, sel.hashKey());
        if (allowed.stream().noneMatch(WorkerSession::hasRoom)) {
            return Optional.empty();
        }
        Optional<WorkerSession> picked = selector.choose(allowed, sel, job.id(), sel.hashKey(), w -> 0);
        if (picked.isEmpty()) {
            return Optional.empty();
        }
        WorkerSession worker = picked.get();
        long now = clock.millis();
        int maxAttempts = 1 + job.maxRetries();
        // the slot counts from now, as in a pass, and is given back unless the start is recorded
        worker.taskStarted();
        long[] ids = null;
        // stored only if the job has none waiting (a pass starts those first) and is under its maxConcurrent
        NewInstance row = new NewInstance(job.id(), InstanceState.DISPATCHED, TriggerKind.API.name(), null, params,
            maxAttempts, null, null, now, requestKey, 0);
        try {
            if (instances.startsInOneStatement()) {
                ids = instances.jdbi().withHandle(h -> instances.insertStartedWithRoot(h, fence.get(), row,
                    worker.workerId(), job.maxConcurrent(), TaskStore.ROOT).orElse(null));
            } else {
                ids = instances.jdbi().inTransaction(h -> {
                    Optional<Long> id = instances.insertStarted(h, fence.get(), row, worker.workerId(),
                        job.maxConcurrent());
                    if (id.isEmpty()) {
                        return null;
                    }
                    long taskId = tasks.insertDispatched(h, List.of(new TaskStore.NewDispatched(fence.get(), id.get(),
                        TaskStore.ROOT, 1, worker.workerId())), now).get(0);
                    return new long[] {id.get(), taskId};
                });
            }
        } finally {
            if (ids == null) {
                worker.taskEnded();
            }
        }
        if (ids == null) {
            return Optional.empty();
        }
        startedOutsidePass.accept(job.id());
        boolean delivered = worker.send(new DispatchTask(ids[1], 1, ids[0], job.id(), job.name(), job.processor(),
            job.params(), params, job.timeoutMs()));
        LOG.debug("run-now instance {} started at once -> worker {} (task {}, sent={})", ids[0], worker.workerId(),
            ids[1], delivered);
        return Optional.of(new Started(ids[0], ids[1], worker.workerId(), now, maxAttempts));
    }
}
