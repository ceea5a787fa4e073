package dev.gnomon.server.api;

import dev.gnomon.protocol.api.BatchRunRequest;
import dev.gnomon.protocol.api.BatchRunResource;
import dev.gnomon.protocol.api.FireTimes;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.RunRequest;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.cluster.CommandRequest;
import dev.gnomon.server.cluster.CommandResult;
import dev.gnomon.server.dispatch.Commands;
import dev.gnomon.server.dispatch.RunKeys;
import dev.gnomon.server.job.JobSpecs;
import dev.gnomon.server.schedule.Schedule;
import dev.gnomon.server.schedule.ScheduleLoop;
import dev.gnomon.server.store.AppRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/v1/jobs}: what to run, when and how. */
final class JobsApi {

    /** The request header that makes a run call safe to send again. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final AppStore apps;
    private final JobStore jobs;
    private final InstanceStore instances;
    private final ScheduleLoop schedules;
    private final Commands commands;
    private final Clock clock;

    JobsApi(AppStore apps, JobStore jobs, InstanceStore instances, ScheduleLoop schedules, Commands commands,
            Clock clock) {
        this.apps = apps;
        this.jobs = jobs;
        this.instances = instances;
        this.schedules = schedules;
        this.commands = commands;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
            Route.post("/api/v1/jobs", "Create a job", 201, JobRequest.class, JobResource.class, this::create),
            Route.get("/api/v1/jobs", "List jobs, optionally of one app", Types.page(JobResource.class),
                List.of("app", "offset", "limit"), this::list),
            Route.get("/api/v1/jobs/{id}", "Get a job", JobResource.class, List.of(), this::get),
            Route.put("/api/v1/jobs/{id}", "Replace a job's definition", JobRequest.class, JobResource.class,
                this::update),
            Route.delete("/api/v1/jobs/{id}", "Delete a job with its instances and logs", List.of(), this::delete),
            Route.post("/api/v1/jobs/{id}/enable", "Let the job's schedule fire", 200, null, JobResource.class,
                ctx -> setEnabled(ctx, true)),
            Route.post("/api/v1/jobs/{id}/disable", "Stop the job's schedule from firing", 200, null,
                JobResource.class, ctx -> setEnabled(ctx, false)),
            Route.post("/api/v1/jobs/{id}/run", "Run the job now, with optional parameters; a call repeated with"
                + " the same Idempotency-Key header answers the instance the first one made", 201, RunRequest.class,
                InstanceResource.class, this::run),
            Route.post("/api/v1/jobs/{id}/runs", "Run the job now once per item, all in one transaction (at most "
                + BatchRunRequest.MAX_RUNS + " items); a call repeated with the same Idempotency-Key header answers"
                + " the instances the first one made", 201, BatchRunRequest.class, BatchRunResource.class, this::runAll),
            Route.get("/api/v1/jobs/{id}/fire-times", "The next fire times of the job's schedule", FireTimes.class,
                List.of("count"), this::fireTimes));
    }

    private void create(Context ctx) {
        JobRequest req = Bodies.read(ctx, JobRequest.class);
        AppRow app = app(req.app());
        long now = clock.millis();
        JobRow row = jobs.create(JobSpecs.toRow(req, 0, app.id(), now, now));
        schedules.jobChanged(row.id());
        ctx.status(201).json(JobSpecs.toResource(row, app.name()));
    }

    private void list(Context ctx) {
        String appName = ctx.queryParam("app");
        Long appId = appName == null || appName.isBlank() ? null : app(appName).id();
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 50, 1, 1000);
        Resources names = new Resources(apps, jobs);
        ctx.json(new Page<>(jobs.list(appId, offset, limit).stream()
            .map(j -> JobSpecs.toResource(j, names.appName(j.appId()))).toList(), jobs.count(appId), offset, limit));
    }

    private void get(Context ctx) {
        JobRow job = jobs.get(Bodies.idParam(ctx, "id"));
        ctx.json(JobSpecs.toResource(job, new Resources(apps, jobs).appName(job.appId())));
    }

    private void update(Context ctx) {
        JobRow old = jobs.get(Bodies.idParam(ctx, "id"));
        JobRequest req = Bodies.read(ctx, JobRequest.class);
        AppRow app = app(req.app());
        if (app.id() != old.appId()) {
            throw new InvalidInputException("app", "a job cannot move to another app; create a new job in '"
                + app.name() + "' instead");
        }
        JobRow row = jobs.update(JobSpecs.toRow(req, old.id(), app.id(), old.createdAt(), clock.millis()));
        schedules.jobChanged(row.id());
        ctx.json(JobSpecs.toResource(row, app.name()));
    }

    private void delete(Context ctx) {
        long id = Bodies.idParam(ctx, "id");
        jobs.get(id);
        jobs.delete(id);
        schedules.jobChanged(id);
        ctx.status(204);
    }

    private void setEnabled(Context ctx, boolean enabled) {
        JobRow job = jobs.get(Bodies.idParam(ctx, "id"));
        long now = clock.millis();
        Long next = enabled ? JobSpecs.firstFire(JobSpecs.scheduleOf(job), now) : null;
        jobs.setEnabled(job.id(), enabled, next, now);
        schedules.jobChanged(job.id());
        JobRow updated = jobs.get(job.id());
        ctx.json(JobSpecs.toResource(updated, new Resources(apps, jobs).appName(job.appId())));
    }

    private void run(Context ctx) {
        JobRow job = jobs.getRecent(Bodies.idParam(ctx, "id"));
        RunRequest req = Bodies.readOptional(ctx, RunRequest.class, new RunRequest(null));
        if (req.params() != null && req.params().length() > JobSpecs.MAX_PARAMS) {
            throw new InvalidInputException("params", "params are " + req.params().length() + " characters; at most "
                + JobSpecs.MAX_PARAMS);
        }
        CommandResult made = commands.carry(new CommandRequest(CommandRequest.Kind.RUN, job.appId(), job.id(), null,
            req.params(), null, requestKey(ctx)));
        Resources resources = new Resources(apps, jobs);
        // The instance as it was recorded; read back only from an owner that did not say how.
        ctx.status(201).json(made.createdAt() == null || made.maxAttempts() == null
            ? resources.instance(instances.get(made.instanceId()))
            : resources.madeNow(made.instanceId(), job, req.params(), made.createdAt(), made.maxAttempts(),
                made.workerId()));
    }

    private void runAll(Context ctx) {
        JobRow job = jobs.getRecent(Bodies.idParam(ctx, "id"));
        List<String> params = batchParams(Bodies.read(ctx, BatchRunRequest.class));
        CommandResult result = commands.carry(new CommandRequest(CommandRequest.Kind.RUN_BATCH, job.appId(), job.id(),
            null, null, params, requestKey(ctx)));
        ctx.status(201).json(new BatchRunResource(job.id(), result.instanceIds()));
    }

    /**
     * The call's {@value #IDEMPOTENCY_KEY} header, or null. A client that did not get the answer
     * to a run (the connection closed, the call timed out) sends it again with the same key, and
     * gets the instances the first call made instead of new ones.
     */
    private static String requestKey(Context ctx) {
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            return null;
        }
        if (!RunKeys.valid(key)) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY + " '" + shortened(key) + "' is not"
                + " valid; expected 1-" + RunKeys.MAX_LENGTH + " characters of A-Z, a-z, 0-9, '-', '_', '.' or ':',"
                + " such as a UUID");
        }
        return key;
    }

    private static String shortened(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static List<String> batchParams(BatchRunRequest req) {
        List<RunRequest> runs = req.runs();
        String expected = "a list of 1-" + BatchRunRequest.MAX_RUNS + " run requests such as {\"params\": \"...\"},"
            + " or {} for the job's own params";
        if (runs == null || runs.isEmpty()) {
            throw new InvalidInputException("runs", "runs is " + (runs == null ? "missing" : "empty") + "; expected "
                + expected);
        }
        if (runs.size() > BatchRunRequest.MAX_RUNS) {
            throw new InvalidInputException("runs", "runs has " + runs.size() + " items; at most "
                + BatchRunRequest.MAX_RUNS + " per call: split them into several calls");
        }
        List<String> params = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            RunRequest run = runs.get(i);
            if (run == null) {
                throw new InvalidInputException("runs[" + i + "]", "runs[" + i + "] is null; expected an object such"
                    + " as {\"params\": \"...\"}, or {} for the job's own params");
            }
            if (run.params() != null && run.params().length() > JobSpecs.MAX_PARAMS) {
                throw new InvalidInputException("runs[" + i + "].params", "runs[" + i + "].params are "
                    + run.params().length() + " characters; at most " + JobSpecs.MAX_PARAMS);
            }
            params.add(run.params());
        }
        return params;
    }

    private void fireTimes(Context ctx) {
        JobRow job = jobs.get(Bodies.idParam(ctx, "id"));
        int count = Bodies.intParam(ctx, "count", 10, 1, Schedule.MAX_PREVIEW);
        Schedule schedule = JobSpecs.scheduleOf(job);
        ctx.json(new FireTimes(schedule.zone().getId(), schedule.preview(Instant.ofEpochMilli(clock.millis()), count)));
    }

    private AppRow app(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("app", "app is required: the name of an existing app");
        }
        return apps.find(name).orElseThrow(() -> new InvalidInputException("app", "no app named '" + name
            + "'; create it first (POST /api/v1/apps)"));
    }
}
