package dev.gnomon.protocol.api;

import java.time.Duration;
import java.util.List;

/**
 * Create or replace a job. Absent optional fields take their defaults: enabled, STANDALONE,
 * one live instance at a time with SKIP on overlap, no retries, no timeout.
 *
 * @param app           the app's name
 * @param name          the job's name, unique within the app
 * @param description   free text
 * @param enabled       whether the schedule fires
 * @param processor     processor name: a Java processor registered on the workers, or {@code shell}
 * @param params        parameters for the processor (for {@code shell}: the script)
 * @param schedule      when it runs
 * @param mode          how an instance is split into tasks
 * @param maxConcurrent live instances allowed at once (1 or more)
 * @param overlap       what a fire does when the limit is reached
 * @param retry         retries after failure or timeout
 * @param timeout       how long an attempt may run; absent or zero for no limit
 * @param selection     which workers may run the job's tasks and how one is chosen; any worker, least loaded, when absent
 * @param shards        with SHARDING: one parameter per shard (the shard count is the list's size)
 * @param broadcast     with BROADCAST: the success rule and the optional post-step
 */
public record JobRequest(
    String app,
    String name,
    String description,
    Boolean enabled,
    String processor,
    String params,
    ScheduleSpec schedule,
    ExecutionMode mode,
    Integer maxConcurrent,
    OverlapPolicy overlap,
    RetrySpec retry,
    Duration timeout,
    WorkerSelection selection,
    List<String> shards,
    BroadcastSpec broadcast) {

    /** A request without worker selection or mode options. */
    public JobRequest(String app, String name, String description, Boolean enabled, String processor, String params,
                      ScheduleSpec schedule, ExecutionMode mode, Integer maxConcurrent, OverlapPolicy overlap,
                      RetrySpec retry, Duration timeout) {
        this(app, name, description, enabled, processor, params, schedule, mode, maxConcurrent, overlap, retry,
            timeout, null, null, null);
    }
}
