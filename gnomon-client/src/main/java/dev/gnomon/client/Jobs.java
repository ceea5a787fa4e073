package dev.gnomon.client;

import dev.gnomon.protocol.api.BatchRunRequest;
import dev.gnomon.protocol.api.BatchRunResource;
import dev.gnomon.protocol.api.FireTimes;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.RunRequest;
import java.util.List;
import java.util.UUID;

/** Jobs: what to run, when and how. Obtained from {@link GnomonClient#jobs()}. */
public final class Jobs {

    private final Http http;

    Jobs(Http http) {
        this.http = http;
    }

    /** Creates a job. */
    public JobResource create(JobRequest request) {
        return http.call("POST", Paths.of("jobs").toString(), request, http.type(JobResource.class));
    }

    /**
     * One page of jobs.
     *
     * @param app    only the jobs of this app, or {@code null} for all
     * @param offset items to skip, or {@code null} for the server's default (0)
     * @param limit  page size, or {@code null} for the server's default
     */
    public Page<JobResource> list(String app, Integer offset, Integer limit) {
        String path = Paths.of("jobs").query("app", app).query("offset", offset).query("limit", limit).toString();
        return http.call("GET", path, null, http.pageOf(JobResource.class));
    }

    /** The job with this id. */
    public JobResource get(long id) {
        return http.call("GET", job(id).toString(), null, http.type(JobResource.class));
    }

    /** Replaces a job's definition; absent optional fields take their defaults, as on create. */
    public JobResource update(long id, JobRequest request) {
        return http.call("PUT", job(id).toString(), request, http.type(JobResource.class));
    }

    /** Deletes a job. */
    public void delete(long id) {
        http.callNoContent("DELETE", job(id).toString(), null);
    }

    /** Lets the job's schedule fire again. */
    public JobResource enable(long id) {
        return http.call("POST", job(id).segment("enable").toString(), null, http.type(JobResource.class));
    }

    /** Stops the job's schedule from firing; running instances go on. */
    public JobResource disable(long id) {
        return http.call("POST", job(id).segment("disable").toString(), null, http.type(JobResource.class));
    }

    /**
     * Runs the job now, whatever its schedule. The call carries a new idempotency key, so that the
     * client can send it again when the connection fails before the answer comes, without making a
     * second instance.
     *
     * @param params parameters for this instance, or {@code null} for the job's own
     */
    public InstanceResource run(long id, String params) {
        return run(id, params, newKey());
    }

    /**
     * Runs the job now, whatever its schedule, as the call with this idempotency key: however many
     * times it is sent, from this client or another, the job gets one instance, and every answer
     * names it. Use a key of your own (a request id of your system) to make a run safe to repeat
     * after your process restarts; send a new key for each new run.
     *
     * @param params         parameters for this instance, or {@code null} for the job's own
     * @param idempotencyKey 1 to 64 characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'
     */
    public InstanceResource run(long id, String params, String idempotencyKey) {
        RunRequest body = params == null ? null : new RunRequest(params);
        return http.callOnce("POST", job(id).segment("run").toString(), body, http.type(InstanceResource.class),
            idempotencyKey);
    }

    /**
     * Runs the job now once per item, all recorded in one transaction or none (at most
     * {@link BatchRunRequest#MAX_RUNS} items per call).
     *
     * @param params each instance's parameters; a {@code null} item runs with the job's own
     * @return the new instances' ids, in the order of {@code params}
     */
    public BatchRunResource runAll(long id, List<String> params) {
        return runAll(id, params, newKey());
    }

    /**
     * As {@link #runAll(long, List)}, as the call with this idempotency key: sent again with the
     * same key and the same params, it answers the instances the first call made and makes none.
     *
     * @param idempotencyKey 1 to 64 characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'
     */
    public BatchRunResource runAll(long id, List<String> params, String idempotencyKey) {
        List<RunRequest> runs = params.stream().map(RunRequest::new).toList();
        return http.callOnce("POST", job(id).segment("runs").toString(), new BatchRunRequest(runs),
            http.type(BatchRunResource.class), idempotencyKey);
    }

    /** The next {@code count} fire times of the job's schedule. */
    public FireTimes fireTimes(long id, int count) {
        String path = job(id).segment("fire-times").query("count", count).toString();
        return http.call("GET", path, null, http.type(FireTimes.class));
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static Paths job(long id) {
        return Paths.of("jobs").segment(id);
    }
}
