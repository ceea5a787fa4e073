package dev.gnomon.server.api;

import dev.gnomon.server.dispatch.Commands;
import dev.gnomon.server.log.LogTail;
import dev.gnomon.server.schedule.ScheduleLoop;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.LogStore;
import dev.gnomon.server.store.RefusedReportStore;
import dev.gnomon.server.store.TaskStore;
import dev.gnomon.server.store.UserStore;
import dev.gnomon.server.store.WorkerStore;
import dev.gnomon.server.store.Database;
import dev.gnomon.server.store.LeaseStore;
import dev.gnomon.server.store.ServerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every route of the REST API, in one list. */
public final class ApiRoutes {

    /** What the handlers use. */
    public record Deps(AppStore apps, JobStore jobs, InstanceStore instances, TaskStore tasks, LogStore logs,
                       WorkerStore workers,
                       UserStore users, ScheduleLoop schedules, Commands commands, Clock clock,
                       Runnable leasesChanged, ServerStore servers, LeaseStore leases, Database db,
                       Duration serverTimeout, RefusedReportStore refused, LogTail tail) {
    }

    private ApiRoutes() {
    }

    public static List<Route> all(Deps d) {
        List<Route> all = new ArrayList<>();
        all.addAll(new AppsApi(d.apps(), d.jobs(), d.clock(), d.leasesChanged()).routes());
        all.addAll(new JobsApi(d.apps(), d.jobs(), d.instances(), d.schedules(), d.commands(), d.clock()).routes());
        all.addAll(new InstancesApi(d.apps(), d.jobs(), d.instances(), d.tasks(), d.commands()).routes());
        all.addAll(new RefusedReportsApi(d.instances(), d.refused()).routes());
        all.addAll(new LogsApi(d.instances(), d.logs(), d.tail()).routes());
        all.addAll(new WorkersApi(d.apps(), d.jobs(), d.workers()).routes());
        all.addAll(new TokensApi(d.users(), d.clock()).routes());
        all.addAll(new ClusterApi(d.servers(), d.leases(), d.apps(), d.db(), d.serverTimeout()).routes());
        return List.copyOf(all);
    }
}
