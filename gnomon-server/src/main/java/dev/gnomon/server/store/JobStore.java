package dev.gnomon.server.store;

import dev.gnomon.server.ConflictException;
import dev.gnomon.server.NotFoundException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/** Jobs: definitions written through the API, and the next fire time kept by the owner. */
public final class JobStore {

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final RowCache<JobRow> recent;

    public JobStore(Database db) {
        this(db, System::nanoTime);
    }

    /** With the ticker that ages the rows {@link #findRecent} keeps. */
    public JobStore(Database db, LongSupplier nanoTime) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
        this.recent = new RowCache<>(nanoTime);
        jdbi.registerRowMapper(JobRow.class, Rows.JOB);
    }

    public JobRow create(JobRow job) {
        return jdbi.inTransaction(h -> {
            ensureNameFree(h, job.appId(), job.name(), -1);
            long id = bindAll(h.createUpdate("INSERT INTO jobs (" + JobRow.COLUMNS.replaceFirst("^id, ", "") + ") VALUES ("
                    + ":appId, :name, :description, :enabled, :processor, :params, :scheduleType, :cron, :timeZone,"
                    + " :everyMs, :atMs, :startAt, :endAt, :misfirePolicy, :misfireBound, :mode, :maxConcurrent,"
                    + " :overlap, :maxRetries, :backoff, :retryDelayMs, :retryMaxDelayMs, :timeoutMs, :nextFireAt,"
                    + " :createdAt, :updatedAt, :selection, :shards, :broadcast)"), job)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return job.withId(id);
        });
    }

    /** Replaces a job's definition (the app and creation time stay). */
    public JobRow update(JobRow job) {
        JobRow updated = jdbi.inTransaction(h -> {
            ensureNameFree(h, job.appId(), job.name(), job.id());
            int n = bindAll(h.createUpdate("UPDATE jobs SET name = :name, description = :description,"
                    + " enabled = :enabled, processor = :processor, params = :params, schedule_type = :scheduleType,"
                    + " cron = :cron, time_zone = :timeZone, every_ms = :everyMs, at_ms = :atMs, start_at = :startAt,"
                    + " end_at = :endAt, misfire_policy = :misfirePolicy, misfire_bound = :misfireBound, mode = :mode,"
                    + " max_concurrent = :maxConcurrent, overlap = :overlap, max_retries = :maxRetries,"
                    + " backoff = :backoff, retry_delay_ms = :retryDelayMs, retry_max_delay_ms = :retryMaxDelayMs,"
                    + " timeout_ms = :timeoutMs, next_fire_at = :nextFireAt, updated_at = :updatedAt,"
                    + " selection = :selection, shards = :shards, broadcast = :broadcast WHERE id = :id"), job)
                .bind("id", job.id()).execute();
            if (n == 0) {
                throw new NotFoundException("no job with id " + job.id());
            }
            return job;
        });
        recent.forget(job.id());
        return updated;
    }

    private void ensureNameFree(Handle h, long appId, String name, long exceptId) {
        boolean taken = h.createQuery("SELECT COUNT(*) FROM jobs WHERE app_id = :app AND name = :name AND id <> :id")
            .bind("app", appId).bind("name", name).bind("id", exceptId).mapTo(Long.class).one() > 0;
        if (taken) {
            throw new ConflictException("the app already has a job named '" + name + "'; choose another name");
        }
    }

    private static <T extends SqlStatement<T>> T bindAll(T s, JobRow j) {
        return s.bind("appId", j.appId()).bind("name", j.name()).bind("description", j.description())
            .bind("enabled", j.enabled()).bind("processor", j.processor()).bind("params", j.params())
            .bind("scheduleType", j.scheduleType()).bind("cron", j.cron()).bind("timeZone", j.timeZone())
            .bind("everyMs", j.everyMs()).bind("atMs", j.atMs()).bind("startAt", j.startAt()).bind("endAt", j.endAt())
            .bind("misfirePolicy", j.misfirePolicy()).bind("misfireBound", j.misfireBound()).bind("mode", j.mode())
            .bind("maxConcurrent", j.maxConcurrent()).bind("overlap", j.overlap()).bind("maxRetries", j.maxRetries())
            .bind("backoff", j.backoff()).bind("retryDelayMs", j.retryDelayMs())
            .bind("retryMaxDelayMs", j.retryMaxDelayMs()).bind("timeoutMs", j.timeoutMs())
            .bind("nextFireAt", j.nextFireAt()).bind("createdAt", j.createdAt()).bind("updatedAt", j.updatedAt())
            .bind("selection", j.selection()).bind("shards", j.shards()).bind("broadcast", j.broadcast());
    }

    public Optional<JobRow> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JobRow.COLUMNS + " FROM jobs WHERE id = :id")
            .bind("id", id).mapTo(JobRow.class).findOne());
    }

    public JobRow get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("no job with id " + id));
    }

    /**
     * The job as read at most {@link RowCache#MAX_AGE} ago, for calls that only need its identity
     * and run settings (run now, dispatch, applying reports): a change of its definition made
     * through this store is seen at once, one made on another server within that age, as if it
     * had come that much later. Its next fire time may be that old too: the scheduler reads fresh rows.
     */
    public Optional<JobRow> findRecent(long id) {
        return recent.get(id, this::find);
    }

    /** As {@link #findRecent}, or not found. */
    public JobRow getRecent(long id) {
        return findRecent(id).orElseThrow(() -> new NotFoundException("no job with id " + id));
    }

    public List<JobRow> list(Long appId, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JobRow.COLUMNS + " FROM jobs"
                + (appId == null ? "" : " WHERE app_id = :app") + " ORDER BY id LIMIT :limit OFFSET :offset")
            .bind("app", appId).bind("limit", limit).bind("offset", offset).mapTo(JobRow.class).list());
    }

    public long count(Long appId) {
        // Bind :app only when the query names it: Jdbi refuses a binding a query without parameters does not use.
        return jdbi.withHandle(h -> appId == null
            ? h.createQuery("SELECT COUNT(*) FROM jobs").mapTo(Long.class).one()
            : h.createQuery("SELECT COUNT(*) FROM jobs WHERE app_id = :app").bind("app", appId).mapTo(Long.class).one());
    }

    /** Enabled jobs of these apps that are due before {@code until}. */
    public List<JobRow> due(Collection<Long> appIds, long until) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JobRow.COLUMNS + " FROM jobs WHERE app_id IN (<apps>)"
                + " AND enabled = TRUE AND next_fire_at IS NOT NULL AND next_fire_at <= :until ORDER BY next_fire_at")
            .bindList("apps", appIds).bind("until", until).mapTo(JobRow.class).list());
    }

    /**
     * Moves the next fire time from {@code expected} to {@code next} under the app's lease. False
     * when another write moved it first; throws {@link FencedException} when the lease is gone.
     */
    public boolean advance(Handle h, Fence fence, long jobId, Long expected, Long next, long now) {
        boolean moved = fence.bind(h.createUpdate("UPDATE jobs SET next_fire_at = :next, updated_at = :now WHERE id = :id"
                + (expected == null ? " AND next_fire_at IS NULL" : " AND next_fire_at = :expected")
                + " AND " + Fence.condition(dialect)))
            .bind("next", next).bind("now", now).bind("id", jobId).bind("expected", expected).execute() == 1;
        if (!moved && !fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return moved;
    }

    public void setEnabled(long id, boolean enabled, Long nextFireAt, long now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET enabled = :enabled, next_fire_at = :next,"
                + " updated_at = :now WHERE id = :id")
            .bind("enabled", enabled).bind("next", nextFireAt).bind("now", now).bind("id", id).execute());
        recent.forget(id);
    }

    /** Deletes a job with its instances, tasks, logs and run calls' keys. */
    public void delete(long id) {
        jdbi.useTransaction(h -> {
            for (String sql : List.of(
                "DELETE FROM log_chunks WHERE instance_id IN (SELECT id FROM instances WHERE job_id = :id)",
                "DELETE FROM tasks WHERE instance_id IN (SELECT id FROM instances WHERE job_id = :id)",
                "DELETE FROM map_batches WHERE instance_id IN (SELECT id FROM instances WHERE job_id = :id)",
                "DELETE FROM instances WHERE job_id = :id",
                "DELETE FROM run_keys WHERE job_id = :id",
                "DELETE FROM jobs WHERE id = :id")) {
                h.createUpdate(sql).bind("id", id).execute();
            }
        });
        recent.forget(id);
    }
}
