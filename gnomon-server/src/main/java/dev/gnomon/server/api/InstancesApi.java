package dev.gnomon.server.api;

import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.TaskCounts;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.cluster.CommandRequest;
import dev.gnomon.server.dispatch.Commands;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.InstanceQuery;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code /api/v1/instances}: runs of jobs, their commands and their logs. */
final class InstancesApi {

    private final AppStore apps;
    private final JobStore jobs;
    private final InstanceStore instances;
    private final TaskStore tasks;
    private final Commands commands;

    InstancesApi(AppStore apps, JobStore jobs, InstanceStore instances, TaskStore tasks, Commands commands) {
        this.apps = apps;
        this.jobs = jobs;
        this.instances = instances;
        this.tasks = tasks;
        this.commands = commands;
    }

    List<Route> routes() {
        return List.of(
            Route.get("/api/v1/instances", "List instances, newest first, filtered by app, job and states",
                Types.page(InstanceResource.class), List.of("app", "job", "state", "offset", "limit"), this::list),
            Route.get("/api/v1/instances/{id}", "Get an instance", InstanceResource.class, List.of(), this::get),
            Route.post("/api/v1/instances/{id}/stop", "Stop an instance (its worker stops the processor)", 200, null,
                InstanceResource.class, this::stop),
            Route.post("/api/v1/instances/{id}/retry", "Run an ended instance again, as a new instance", 201, null,
                InstanceResource.class, this::retry),
            Route.get("/api/v1/instances/{id}/tasks", "The instance's task attempts in the order they were made,"
                    + " optionally of some states only (state=RUNNING,FAILED)", Types.page(TaskResource.class),
                List.of("state", "offset", "limit"), this::tasks),
            Route.get("/api/v1/instances/{id}/tasks/counts", "How many task attempts of the instance are in each state",
                TaskCounts.class, List.of(), this::taskCounts));
    }

    private void list(Context ctx) {
        String app = ctx.queryParam("app");
        Long appId = app == null || app.isBlank() ? null : apps.find(app)
            .orElseThrow(() -> new InvalidInputException("app", "no app named '" + app + "'")).id();
        Long jobId = Bodies.optionalLong(ctx, "job");
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 50, 1, 1000);
        InstanceQuery q = new InstanceQuery(appId, jobId, states(ctx.queryParams("state")), offset, limit);
        Resources r = new Resources(apps, jobs);
        ctx.json(new Page<>(instances.list(q).stream().map(r::instance).toList(), instances.count(q), offset, limit));
    }

    private static Set<InstanceState> states(List<String> raw) {
        Set<InstanceState> out = EnumSet.noneOf(InstanceState.class);
        for (String value : raw) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(InstanceState.valueOf(part.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("state", "state '" + part + "' is not one of "
                        + Arrays.stream(InstanceState.values()).map(Enum::name).collect(Collectors.joining(", ")));
                }
            }
        }
        return out;
    }

    private void get(Context ctx) {
        ctx.json(new Resources(apps, jobs).instance(instances.get(Bodies.idParam(ctx, "id"))));
    }

    private void stop(Context ctx) {
        long id = command(ctx, CommandRequest.Kind.STOP);
        ctx.json(new Resources(apps, jobs).instance(instances.get(id)));
    }

    private void retry(Context ctx) {
        long id = command(ctx, CommandRequest.Kind.RETRY);
        ctx.status(201).json(new Resources(apps, jobs).instance(instances.get(id)));
    }

    private long command(Context ctx, CommandRequest.Kind kind) {
        InstanceRow inst = instances.get(Bodies.idParam(ctx, "id"));
        return commands.route(new CommandRequest(kind, inst.appId(), inst.jobId(), inst.id(), null));
    }

    private void tasks(Context ctx) {
        long id = Bodies.idParam(ctx, "id");
        List<String> states = taskStates(ctx.queryParams("state"));
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
        instances.get(id);
        ctx.json(new Page<>(tasks.page(id, states, offset, limit).stream().map(InstancesApi::task).toList(),
            tasks.count(id, states), offset, limit));
    }

    private void taskCounts(Context ctx) {
        long id = Bodies.idParam(ctx, "id");
        instances.get(id);
        Map<String, Long> counts = tasks.countsByState(id);
        ctx.json(new TaskCounts(id, counts.values().stream().mapToLong(Long::longValue).sum(), counts));
    }

    private static List<String> taskStates(List<String> raw) {
        List<String> out = new java.util.ArrayList<>();
        for (String value : raw) {
            for (String part : value.split(",")) {
                String state = part.strip().toUpperCase(Locale.ROOT);
                if (state.isEmpty()) {
                    continue;
                }
                if (!TaskStore.STATES.contains(state)) {
                    throw new InvalidInputException("state", "task state '" + part + "' is not one of "
                        + String.join(", ", TaskStore.STATES));
                }
                out.add(state);
            }
        }
        return out;
    }

    private static TaskResource task(TaskRow t) {
        return new TaskResource(t.id(), t.instanceId(), t.taskKey(), t.attempt(), t.state(), t.workerId(), t.result(),
            t.params(), instant(t.dispatchedAt()), instant(t.startedAt()), instant(t.finishedAt()),
            instant(t.notBefore()));
    }

    private static java.time.Instant instant(Long millis) {
        return millis == null ? null : java.time.Instant.ofEpochMilli(millis);
    }
}
