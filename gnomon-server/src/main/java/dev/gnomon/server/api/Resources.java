package dev.gnomon.server.api;

import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.protocol.api.WorkerResource;
import dev.gnomon.server.store.AppRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.WorkerRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns stored rows into API resources, looking up app and job names once per call, from rows
 * read at most a second ago ({@link AppStore#byIdRecent}, {@link JobStore#findRecent}).
 */
final class Resources {

    private final AppStore apps;
    private final JobStore jobs;
    private final Map<Long, String> appNames = new HashMap<>();
    private final Map<Long, String> jobNames = new HashMap<>();

    Resources(AppStore apps, JobStore jobs) {
        this.apps = apps;
        this.jobs = jobs;
    }

    InstanceResource instance(InstanceRow r) {
        return new InstanceResource(r.id(), r.jobId(), jobName(r.jobId()), appName(r.appId()), r.state(),
            TriggerKind.valueOf(r.triggerKind()), instant(r.scheduledAt()), r.params(), r.attempt(), r.maxAttempts(),
            r.workerId(), r.result(), r.reason(), Instant.ofEpochMilli(r.createdAt()), instant(r.startedAt()),
            instant(r.finishedAt()), instant(r.nextAttemptAt()));
    }

    /**
     * A run-now instance as it was recorded, from what the command answered: on its first attempt,
     * waiting, or dispatched to {@code workerId} when that is not null. The job is the one the call named.
     */
    InstanceResource madeNow(long id, JobRow job, String params, long createdAt, int maxAttempts, String workerId) {
        Instant created = Instant.ofEpochMilli(createdAt);
        return new InstanceResource(id, job.id(), job.name(), appName(job.appId()),
            workerId == null ? InstanceState.WAITING : InstanceState.DISPATCHED, TriggerKind.API, null, params, 1,
            maxAttempts, workerId, null, null, created, workerId == null ? null : created, null, null);
    }

    WorkerResource worker(WorkerRow w) {
        return new WorkerResource(w.id(), appName(w.appId()), w.host(), w.address(), w.version(), w.state(),
            w.serverId(), instant(w.connectedAt()), instant(w.heartbeatAt()), w.cpuLoad() == null ? -1 : w.cpuLoad(),
            w.cpuCount() == null ? 0 : w.cpuCount(), w.memoryUsed() == null ? 0 : w.memoryUsed(),
            w.memoryMax() == null ? 0 : w.memoryMax(), w.runningTasks() == null ? 0 : w.runningTasks(),
            w.maxTasks() == null ? 0 : w.maxTasks(),
            w.tags() == null || w.tags().isEmpty() ? java.util.List.of() : java.util.List.of(w.tags().split(",")));
    }

    String appName(long appId) {
        return appNames.computeIfAbsent(appId, id -> apps.byIdRecent(id).map(AppRow::name).orElse("#" + id));
    }

    private String jobName(long jobId) {
        return jobNames.computeIfAbsent(jobId, id -> jobs.findRecent(id).map(JobRow::name).orElse("#" + id));
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
