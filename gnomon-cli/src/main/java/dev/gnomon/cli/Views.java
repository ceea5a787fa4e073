package dev.gnomon.cli;

import dev.gnomon.protocol.api.AppResource;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.WorkerSelection;
import java.util.List;

/** The text form of each resource: one table shape for lists, one detail shape for single items. */
final class Views {

    private static final int CELL = 40;

    private Views() {
    }

    static Table apps(List<AppResource> apps) {
        Table table = new Table("ID", "NAME", "CREATED", "DESCRIPTION");
        apps.forEach(a -> table.row(a.id(), a.name(), a.createdAt(), Format.brief(a.description(), CELL)));
        return table;
    }

    static Details app(AppResource app) {
        return new Details()
            .add("id", app.id())
            .add("name", app.name())
            .add("description", app.description())
            .add("created", app.createdAt());
    }

    static Table jobs(List<JobResource> jobs) {
        Table table = new Table("ID", "APP", "NAME", "ENABLED", "SCHEDULE", "PROCESSOR", "NEXT FIRE");
        jobs.forEach(j -> table.row(j.id(), j.app(), j.name(), j.enabled(), Format.schedule(j.schedule()),
            j.processor(), j.nextFireAt()));
        return table;
    }

    static Details job(JobResource job) {
        ScheduleSpec schedule = job.schedule();
        Details details = new Details()
            .add("id", job.id())
            .add("app", job.app())
            .add("name", job.name())
            .add("description", job.description())
            .add("enabled", job.enabled())
            .add("processor", job.processor())
            .add("params", job.params())
            .add("schedule", Format.schedule(schedule));
        if (schedule != null) {
            details.add("window", Format.time(schedule.startAt()) + " .. " + Format.time(schedule.endAt()))
                .add("misfire", schedule.misfire() == null ? null
                    : Converters.spelling(schedule.misfire())
                        + (schedule.misfireBound() == null ? "" : " (bound " + schedule.misfireBound() + ")"));
        }
        return details
            .add("mode", job.mode())
            .add("shards", job.shards() == null ? null : job.shards().size() + " " + job.shards())
            .add("selection", selection(job.selection()))
            .add("broadcast", broadcast(job.broadcast()))
            .add("max concurrent", job.maxConcurrent() + " (overlap " + job.overlap() + ")")
            .add("retry", retry(job.retry()))
            .add("timeout", job.timeout())
            .add("next fire", job.nextFireAt())
            .add("created", job.createdAt())
            .add("updated", job.updatedAt());
    }

    static Table instances(List<InstanceResource> instances) {
        Table table = new Table("ID", "APP", "JOB", "STATE", "TRIGGER", "ATTEMPT", "SCHEDULED", "STARTED",
            "FINISHED", "WORKER");
        instances.forEach(i -> table.row(i.id(), i.app(), i.jobName(), i.state(), i.trigger(), attempt(i),
            i.scheduledAt(), i.startedAt(), i.finishedAt(), i.workerId()));
        return table;
    }

    static Details instance(InstanceResource instance) {
        return new Details()
            .add("id", instance.id())
            .add("app", instance.app())
            .add("job", instance.jobName() + " (" + instance.jobId() + ")")
            .add("state", instance.state())
            .add("trigger", instance.trigger())
            .add("attempt", attempt(instance))
            .add("params", instance.params())
            .add("worker", instance.workerId())
            .add("reason", instance.reason())
            .add("result", instance.result())
            .add("scheduled", instance.scheduledAt())
            .add("created", instance.createdAt())
            .add("started", instance.startedAt())
            .add("finished", instance.finishedAt())
            .add("next attempt", instance.nextAttemptAt());
    }

    static Table tasks(List<TaskResource> tasks) {
        Table table = new Table("ID", "TASK", "ATTEMPT", "STATE", "WORKER", "DISPATCHED", "FINISHED", "RESULT");
        tasks.forEach(t -> table.row(t.id(), t.taskKey(), t.attempt(), t.state(), t.workerId(), t.dispatchedAt(),
            t.finishedAt(), t.result()));
        return table;
    }

    private static String selection(WorkerSelection s) {
        if (s == null) {
            return null;
        }
        List<String> parts = new java.util.ArrayList<>();
        parts.add(s.strategy() == null ? "least-loaded" : Converters.spelling(s.strategy()));
        if (s.hashKey() != null) {
            parts.add("key " + s.hashKey());
        }
        if (!s.tags().isEmpty()) {
            parts.add("tags " + new java.util.TreeSet<>(s.tags()));
        }
        if (!s.workers().isEmpty()) {
            parts.add("only " + new java.util.TreeSet<>(s.workers()));
        }
        if (s.maxWorkers() != null) {
            parts.add("at most " + s.maxWorkers() + " workers");
        }
        if (s.minFreeCpu() != null) {
            parts.add("free CPU >= " + s.minFreeCpu());
        }
        if (s.minFreeMemoryMb() != null) {
            parts.add("free heap >= " + s.minFreeMemoryMb() + " MiB");
        }
        if (s.maxTasksPerWorker() != null) {
            parts.add("at most " + s.maxTasksPerWorker() + " tasks per worker");
        }
        if (s.workerWait() != null) {
            parts.add("wait " + s.workerWait());
        }
        return String.join(", ", parts);
    }

    private static String broadcast(BroadcastSpec b) {
        if (b == null) {
            return null;
        }
        String rule = Converters.spelling(b.rule()) + (b.threshold() == null ? "" : " " + b.threshold()
            + (b.rule() == BroadcastRule.PERCENT ? "%" : ""));
        return b.hasPostStep() ? rule + ", post-step " + (b.postProcessor() == null ? "(the job's processor)"
            : b.postProcessor()) : rule;
    }

    private static String attempt(InstanceResource instance) {
        return instance.attempt() + "/" + instance.maxAttempts();
    }

    private static String retry(RetrySpec retry) {
        if (retry == null || retry.maxRetries() == 0) {
            return "none";
        }
        String text = retry.maxRetries() + " x " + Converters.spelling(retry.backoff()) + " from " + retry.delay();
        return retry.backoff() == BackoffKind.EXPONENTIAL ? text + " up to " + retry.maxDelay() : text;
    }
}
