package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends waiting instances of the apps this server owns to workers that can run them. */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int PASS_LIMIT = 500;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final LeaseKeeper leases;
    private final WorkerRegistry workers;
    private final Clock clock;
    private final Duration workerWait;

    public Dispatcher(InstanceStore instances, TaskStore tasks, JobStore jobs, LeaseKeeper leases,
                      WorkerRegistry workers, Clock clock, Duration workerWait) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.leases = leases;
        this.workers = workers;
        this.clock = clock;
        this.workerWait = workerWait;
    }

    /** One pass over the waiting instances; runs on the {@link DispatchLoop}. */
    public void pass() {
        long now = clock.millis();
        Map<Long, JobRow> jobCache = new HashMap<>();
        Map<Long, Integer> active = new HashMap<>();
        for (InstanceRow inst : instances.waiting(leases.owned(), now, PASS_LIMIT)) {
            Optional<Fence> fence = leases.fence(inst.appId());
            JobRow job = jobCache.computeIfAbsent(inst.jobId(), id -> jobs.find(id).orElse(null));
            if (fence.isEmpty() || job == null) {
                continue;
            }
            try {
                dispatch(fence.get(), inst, job, active, now);
            } catch (RuntimeException e) {
                LOG.warn("cannot dispatch instance {}: {}", inst.id(), e.toString());
            }
        }
    }

    private void dispatch(Fence fence, InstanceRow inst, JobRow job, Map<Long, Integer> active, long now) {
        Optional<WorkerSession> picked = workers.pick(inst.appId(), job.processor());
        if (picked.isEmpty()) {
            waitForWorker(fence, inst, job, now);
            return;
        }
        // Counted once per job and pass, then kept up to date here: the pass is the only writer.
        int running = active.computeIfAbsent(job.id(), id -> instances.jdbi().withHandle(h -> instances.activeCount(h, id)));
        if (running >= job.maxConcurrent()) {
            note(fence, inst, "queued: " + running + " of at most " + job.maxConcurrent() + " instances of job '"
                + job.name() + "' are running", now);
            return;
        }
        WorkerSession worker = picked.get();
        long taskId = instances.jdbi().inTransaction(h -> {
            long id = tasks.insert(h, fence, inst.id(), "root", inst.attempt(), worker.workerId(), now);
            InstanceChange change = InstanceChange.to(InstanceState.DISPATCHED).worker(worker.workerId()).reason(null)
                .nextAttemptAt(null);
            if (inst.startedAt() == null) {
                change.startedAt(now);
            }
            if (!instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.WAITING), change, now)) {
                h.rollback();
                return -1L;
            }
            return id;
        });
        if (taskId < 0) {
            return;
        }
        active.merge(job.id(), 1, Integer::sum);
        worker.taskStarted();
        boolean sent = worker.send(message(taskId, inst, job));
        LOG.debug("instance {} attempt {} -> worker {} (task {}, sent={})", inst.id(), inst.attempt(),
            worker.workerId(), taskId, sent);
    }

    /** What a worker is sent to run attempt {@code inst.attempt()} of the instance as task {@code taskId}. */
    static DispatchTask message(long taskId, InstanceRow inst, JobRow job) {
        return new DispatchTask(taskId, inst.attempt(), inst.id(), job.id(), job.name(), job.processor(), job.params(),
            inst.params(), job.timeoutMs());
    }

    private void waitForWorker(Fence fence, InstanceRow inst, JobRow job, long now) {
        long waitingSince = inst.nextAttemptAt() != null ? inst.nextAttemptAt() : inst.createdAt();
        String why = noWorkerReason(inst.appId(), job.processor())
            + (inst.attempt() > 1 && inst.result() != null
                ? " (attempt " + (inst.attempt() - 1) + " ended: " + inst.result() + ")" : "");
        if (now - waitingSince >= workerWait.toMillis()) {
            instances.jdbi().useTransaction(h -> instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.WAITING),
                InstanceChange.to(InstanceState.FAILED).finishedAt(now)
                    .reason(why + " for " + workerWait.toSeconds() + " s (gnomon.dispatch.worker-wait)"), now));
            return;
        }
        note(fence, inst, why, now);
    }

    private String noWorkerReason(long appId, String processor) {
        var connected = workers.ofApp(appId);
        String shellHint = processor.equals("shell") ? "; start a worker with --enable-shell" : "";
        if (connected.isEmpty()) {
            return "waiting for a worker that offers processor '" + processor + "': none of this app is connected"
                + shellHint;
        }
        var able = connected.stream().filter(s -> s.canRun(processor)).toList();
        if (able.isEmpty()) {
            String offered = connected.stream().map(s -> s.workerId() + " " + s.processors())
                .collect(Collectors.joining(", "));
            return "waiting for a worker that offers processor '" + processor + "'; connected: " + offered + shellHint;
        }
        return "waiting for a free slot: all " + able.size() + " workers that offer '" + processor + "' are full";
    }

    private void note(Fence fence, InstanceRow inst, String reason, long now) {
        if (Objects.equals(reason, inst.reason())) {
            return;
        }
        instances.jdbi().useTransaction(h -> instances.change(h, fence, inst.id(), EnumSet.of(InstanceState.WAITING),
            InstanceChange.to(InstanceState.WAITING).reason(reason), now));
    }
}
