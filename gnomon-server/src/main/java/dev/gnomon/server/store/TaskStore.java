package dev.gnomon.server.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Task attempts: which worker runs what, and what it reported. Writes are lease-guarded. */
public final class TaskStore {

    public static final String DISPATCHED = "DISPATCHED";
    public static final String RUNNING = "RUNNING";
    /** The worker that ran the attempt went silent past the lost timeout. */
    public static final String WORKER_LOST = "WORKER_LOST";
    /** The server ended the attempt (stop through the API, or a newer attempt replaced it). */
    public static final String SUPERSEDED = "SUPERSEDED";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public TaskStore(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
        jdbi.registerRowMapper(ConstructorMapper.factory(TaskRow.class));
    }

    /** Records a dispatched attempt; returns its id. */
    public long insert(Handle h, Fence fence, long instanceId, String taskKey, int attempt, String workerId, long now) {
        List<Long> ids = fence.bind(h.createUpdate("INSERT INTO tasks (instance_id, app_id, task_key, attempt, state,"
                + " worker_id, last_report_seq, epoch, dispatched_at) SELECT :instance, :fenceApp, :key, :attempt,"
                + " 'DISPATCHED', :worker, 0, :fenceEpoch, :now FROM app_leases l WHERE l.app_id = :fenceApp"
                + " AND l.part = 0 AND l.owner_id = :fenceOwner AND l.epoch = :fenceEpoch AND l.expires_at > "
                + dialect.nowMillis()))
            .bind("instance", instanceId).bind("key", taskKey).bind("attempt", attempt).bind("worker", workerId)
            .bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).list();
        if (ids.isEmpty()) {
            throw new FencedException(fence);
        }
        return ids.get(0);
    }

    public Optional<TaskRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE id = :id")
            .bind("id", id).mapTo(TaskRow.class).findOne();
    }

    public Optional<TaskRow> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /**
     * Moves a live attempt to {@code state}; false when it already ended (a resent or late
     * report) or the attempt is not the one stored. Throws {@link FencedException} when the
     * lease is gone.
     */
    public boolean change(Handle h, Fence fence, long id, int attempt, String state, String result, long seq, long now) {
        boolean started = state.equals(RUNNING);
        boolean changed = fence.bind(h.createUpdate("UPDATE tasks SET state = :state, last_report_seq = :seq, epoch = :fenceEpoch"
                + (result != null ? ", result = :result" : "")
                + (started ? ", started_at = :now" : ", finished_at = :now")
                + " WHERE id = :id AND attempt = :attempt AND state IN ('DISPATCHED', 'RUNNING')"
                + (started ? " AND state = 'DISPATCHED'" : "")
                + " AND " + Fence.condition(dialect)))
            .bind("state", state).bind("seq", seq).bind("result", InstanceChange.truncate(result, 4000))
            .bind("now", now).bind("id", id).bind("attempt", attempt).execute() == 1;
        if (!changed && !fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return changed;
    }

    /** The live attempts of an instance. */
    public List<TaskRow> live(Handle h, long instanceId) {
        return h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id"
                + " AND state IN ('DISPATCHED', 'RUNNING')")
            .bind("id", instanceId).mapTo(TaskRow.class).list();
    }

    /** The live attempts held by a worker of an app. */
    public List<TaskRow> liveOnWorker(long appId, String workerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE app_id = :app"
                + " AND worker_id = :worker AND state IN ('DISPATCHED', 'RUNNING')")
            .bind("app", appId).bind("worker", workerId).mapTo(TaskRow.class).list());
    }

    /** The live attempts of an app, for a new owner to reconcile with the workers. */
    public List<TaskRow> liveOfApp(long appId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE app_id = :app"
                + " AND state IN ('DISPATCHED', 'RUNNING')")
            .bind("app", appId).mapTo(TaskRow.class).list());
    }

    public List<TaskRow> ofInstance(long instanceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id"
                + " ORDER BY attempt, id").bind("id", instanceId).mapTo(TaskRow.class).list());
    }
}
