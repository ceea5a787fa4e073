package dev.gnomon.client;

import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.RefusedReport;
import dev.gnomon.protocol.api.TaskCounts;
import dev.gnomon.protocol.api.TaskResource;
import java.util.Collection;

/** Instances: runs of jobs. Obtained from {@link GnomonClient#instances()}. */
public final class Instances {

    private final Http http;

    Instances(Http http) {
        this.http = http;
    }

    /** One page of instances matching the query, newest first. */
    public Page<InstanceResource> list(InstanceQuery query) {
        Paths path = Paths.of("instances")
            .query("app", query.app())
            .query("job", query.job());
        for (InstanceState state : query.states()) {
            path.query("state", state);
        }
        path.query("offset", query.offset()).query("limit", query.limit());
        return http.call("GET", path.toString(), null, http.pageOf(InstanceResource.class));
    }

    /** The instance with this id. */
    public InstanceResource get(long id) {
        return http.call("GET", instance(id).toString(), null, http.type(InstanceResource.class));
    }

    /** Asks the instance to stop; the answer shows its state at the time of the call. */
    public InstanceResource stop(long id) {
        return http.call("POST", instance(id).segment("stop").toString(), null, http.type(InstanceResource.class));
    }

    /** Starts a new instance with the same job and parameters (trigger {@code MANUAL_RETRY}). */
    public InstanceResource retry(long id) {
        return http.call("POST", instance(id).segment("retry").toString(), null, http.type(InstanceResource.class));
    }

    /**
     * One page of the instance's log lines, ordered by attempt then sequence number.
     *
     * @param offset lines to skip, or {@code null} for 0
     * @param limit  page size, or {@code null} for the server's default
     */
    public Page<LogEntry> log(long id, Integer offset, Integer limit) {
        String path = instance(id).segment("log").query("offset", offset).query("limit", limit).toString();
        return http.call("GET", path, null, http.pageOf(LogEntry.class));
    }

    /**
     * One page of the reports the server refused for this instance, oldest first: what workers
     * said about attempts that had already ended or been replaced (such as the late result of a
     * worker that was declared lost). They were acknowledged and never applied.
     *
     * @param offset reports to skip, or {@code null} for 0
     * @param limit  page size, or {@code null} for the server's default
     */
    public Page<RefusedReport> refusedReports(long id, Integer offset, Integer limit) {
        String path = instance(id).segment("refused-reports").query("offset", offset).query("limit", limit).toString();
        return http.call("GET", path, null, http.pageOf(RefusedReport.class));
    }

    /**
     * One page of the instance's task attempts, in the order they were made.
     *
     * @param states only attempts in these states (such as {@code RUNNING}, {@code WORKER_LOST}); empty for all
     * @param offset attempts to skip, or {@code null} for 0
     * @param limit  page size, or {@code null} for the server's default (100)
     */
    public Page<TaskResource> tasks(long id, Collection<String> states, Integer offset, Integer limit) {
        Paths path = instance(id).segment("tasks");
        for (String state : states) {
            path.query("state", state);
        }
        path.query("offset", offset).query("limit", limit);
        return http.call("GET", path.toString(), null, http.pageOf(TaskResource.class));
    }

    /** How many task attempts of the instance are in each state. */
    public TaskCounts taskCounts(long id) {
        return http.call("GET", instance(id).segment("tasks").segment("counts").toString(), null,
            http.type(TaskCounts.class));
    }

    private static Paths instance(long id) {
        return Paths.of("instances").segment(id);
    }
}
