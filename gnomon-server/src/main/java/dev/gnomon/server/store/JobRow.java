package dev.gnomon.server.store;

/**
 * A stored job. Instants are epoch milliseconds; nullable columns are boxed. The worker selection,
 * shard parameters and broadcast rule are JSON documents, null for the defaults.
 */
public record JobRow(
    long id,
    long appId,
    String name,
    String description,
    boolean enabled,
    String processor,
    String params,
    String scheduleType,
    String cron,
    String timeZone,
    Long everyMs,
    Long atMs,
    Long startAt,
    Long endAt,
    String misfirePolicy,
    int misfireBound,
    String mode,
    int maxConcurrent,
    String overlap,
    int maxRetries,
    String backoff,
    long retryDelayMs,
    long retryMaxDelayMs,
    long timeoutMs,
    Long nextFireAt,
    long createdAt,
    long updatedAt,
    String selection,
    String shards,
    String broadcast) {

    static final String COLUMNS = "id, app_id, name, description, enabled, processor, params, schedule_type, cron,"
        + " time_zone, every_ms, at_ms, start_at, end_at, misfire_policy, misfire_bound, mode, max_concurrent,"
        + " overlap, max_retries, backoff, retry_delay_ms, retry_max_delay_ms, timeout_ms, next_fire_at,"
        + " created_at, updated_at, selection, shards, broadcast";

    public JobRow withId(long newId) {
        return new JobRow(newId, appId, name, description, enabled, processor, params, scheduleType, cron, timeZone,
            everyMs, atMs, startAt, endAt, misfirePolicy, misfireBound, mode, maxConcurrent, overlap, maxRetries,
            backoff, retryDelayMs, retryMaxDelayMs, timeoutMs, nextFireAt, createdAt, updatedAt, selection, shards, broadcast);
    }
}
