package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.server.ConflictException;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.cluster.NotOwnerException;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceChange;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.NewInstance;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Commands on instances: run a job now, stop, retry. They run on the owner of the app, on its
 * {@link DispatchLoop}, so they never race a report or a dispatch.
 */
public final class InstanceCommands {

    /** Groups of run-now calls of one app committed at the same time: one fills while another commits. */
    private static final int RUN_NOW_WRITERS = 2;

    private final InstanceStore instances;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final LeaseKeeper leases;
    private final WorkerRegistry workers;
    private final Clock clock;
    private final CompletionListener completions;
    private final RunNowGroups groups;

    public InstanceCommands(InstanceStore instances, TaskStore tasks, JobStore jobs, LeaseKeeper leases,
                            WorkerRegistry workers, Clock clock, CompletionListener completions) {
        this.instances = instances;
        this.tasks = tasks;
        this.jobs = jobs;
        this.leases = leases;
        this.workers = workers;
        this.clock = clock;
        this.completions = completions;
        this.groups = new RunNowGroups(instances::insertAll, RUN_NOW_WRITERS);
    }

    /** What a run made: the new instances' ids in order, and when and with how many attempts they were made. */
    public record Made(List<Long> ids, long createdAt, int maxAttempts) {
    }

    /** Creates an instance of the job now, with these parameters. */
    public long run(long jobId, String params, TriggerKind trigger, Long retryOf) {
        List<String> one = new ArrayList<>(1);
        one.add(params);
        return create(jobId, one, trigger, retryOf, false, null).ids().get(0);
    }

    /**
     * Creates one instance of the job now per item of {@code params}, in one transaction: all or
     * none. With overlap SKIP, a batch that would pass the job's maxConcurrent is refused whole.
     * Concurrent calls of one instance each, for jobs of one app without overlap SKIP, are
     * recorded together ({@link RunNowGroups}); each still answers only once its instance is
     * committed. Answers what the API needs to describe the new instances without reading them back.
     *
     * @param requestKey the call's idempotency key, or null; a key an earlier call of the job holds
     *                   throws {@link dev.gnomon.server.store.DuplicateRunException}, having stored nothing
     */
    public Made runNow(long jobId, List<String> params, TriggerKind trigger, String requestKey) {
        return create(jobId, params, trigger, null, params.size() == 1, requestKey);
    }

    /**
     * The instances an earlier call with this idempotency key made, in order, or empty when there
     * was none.
     *
     * @throws InvalidInputException when the earlier call asked for other parameters
     */
    public Optional<List<Long>> earlier(long jobId, List<String> params, String requestKey) {
        Optional<List<InstanceRow>> found = instances.madeByCall(jobId, requestKey);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<InstanceRow> made = found.get();
        boolean same = made.size() == params.size();
        for (int i = 0; same && i < made.size(); i++) {
            same = Objects.equals(made.get(i).params(), params.get(i));
        }
        if (!same) {
            throw new InvalidInputException("Idempotency-Key", "Idempotency-Key '" + requestKey + "' was used"
                + " before for another run of job " + jobId + (made.isEmpty() ? "" : " (instance " + made.get(0).id()
                + (made.size() > 1 ? " and " + (made.size() - 1) + " more" : "") + ")")
                + ", with other params or another number of runs; send a new key for a new run");
        }
        return Optional.of(made.stream().map(InstanceRow::id).toList());
    }

    private Made create(long jobId, List<String> params, TriggerKind trigger, Long retryOf, boolean grouped,
                        String requestKey) {
        JobRow job = jobs.getRecent(jobId);
        Fence fence = fence(job.appId());
        long now = clock.millis();
        List<NewInstance> rows = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            rows.add(new NewInstance(job.id(), InstanceState.WAITING, trigger.name(), null, params.get(i),
                1 + job.maxRetries(), null, retryOf, now, requestKey, i));
        }
        if (OverlapPolicy.valueOf(job.overlap()) != OverlapPolicy.SKIP) {
            // QUEUE refuses nothing, so there is nothing to count: the new instances wait, and the
            // dispatcher says on each why it has not started when the job is at its maximum.
            List<Long> ids = grouped ? List.of(groups.record(fence, rows.get(0))) : instances.insertAll(fence, rows);
            return new Made(ids, now, 1 + job.maxRetries());
        }
        List<Long> ids = instances.jdbi().inTransaction(h -> {
            int live = instances.liveCount(h, job.appId(), job.id(), job.maxConcurrent());
            if (live + params.size() > job.maxConcurrent()) {
                throw new ConflictException("job '" + job.name() + "' already has " + live + " live instances"
                    + (params.size() > 1 ? " and " + params.size() + " more were asked for" : "")
                    + " (maxConcurrent " + job.maxConcurrent() + ", overlap SKIP); stop one, or set overlap"
                    + " QUEUE to queue runs");
            }
            return instances.insertAll(h, fence, rows);
        });
        return new Made(ids, now, 1 + job.maxRetries());
    }

    /** Stops an instance: a waiting one at once, a running one by telling its worker too. */
    public InstanceRow stop(long instanceId) {
        InstanceRow inst = instances.get(instanceId);
        InstanceTransitions.check(instanceId, inst.state(), InstanceState.STOPPED);
        Fence fence = fence(inst.appId());
        long now = clock.millis();
        List<TaskRow> stopped = instances.jdbi().inTransaction(h -> {
            List<TaskRow> live = tasks.live(h, inst.id());
            tasks.endWaiting(h, fence, inst.id(), TaskStore.STOPPED, "stopped through the API", now);
            for (TaskRow t : live) {
                tasks.change(h, fence, t.id(), t.attempt(), "STOPPED", "stopped through the API", t.lastReportSeq(), now);
            }
            boolean changed = instances.change(h, fence, inst.id(), InstanceTransitions.sourcesOf(InstanceState.STOPPED),
                InstanceChange.to(InstanceState.STOPPED).reason("stopped through the API").finishedAt(now), now);
            if (!changed) {
                InstanceRow now2 = instances.find(h, instanceId).orElseThrow();
                throw new ConflictException("instance " + instanceId + " is " + now2.state() + " and cannot be stopped");
            }
            return live;
        });
        for (TaskRow t : stopped) {
            workers.session(t.appId(), t.workerId()).ifPresent(s -> {
                s.send(new StopTask(t.id(), t.attempt(), StopReason.USER));
                s.taskEnded();
            });
        }
        completions.instanceEnded(inst.appId(), inst.jobId(), inst.id(), now);
        return instances.get(instanceId);
    }

    /** Runs an ended instance again, as a new instance with the same parameters. */
    public long retry(long instanceId) {
        InstanceRow inst = instances.get(instanceId);
        if (!inst.state().terminal()) {
            throw new ConflictException("instance " + instanceId + " is " + inst.state()
                + "; only an ended instance can be retried (stop it first)");
        }
        return run(inst.jobId(), inst.params(), TriggerKind.MANUAL_RETRY, inst.id());
    }

    private Fence fence(long appId) {
        return leases.fence(appId).orElseThrow(() -> new NotOwnerException("server " + leases.serverId()
            + " does not own app " + appId + " any more"));
    }

}
