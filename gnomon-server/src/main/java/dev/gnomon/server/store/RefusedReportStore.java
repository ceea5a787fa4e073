package dev.gnomon.server.store;

import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.RefusedReport;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reports a server refused because their attempt had already ended or been replaced, stored once
 * each by (task, attempt, seq): a worker that resends a refused report before it hears the
 * acknowledgement does not make a second row.
 */
public final class RefusedReportStore {

    private static final String COLUMNS = "id, instance_id, task_id, attempt, seq, worker_id, phase, message, reason,"
        + " received_at";

    private final Jdbi jdbi;

    public RefusedReportStore(Database db) {
        this.jdbi = db.jdbi();
    }

    /**
     * Records a refused report unless it is held already; returns whether it was new. Runs in the
     * caller's transaction, next to the check that refused it.
     */
    public boolean record(Handle h, long instanceId, long taskId, int attempt, long seq, String workerId,
                          TaskPhase phase, String message, String reason, long now) {
        boolean held = h.createQuery("SELECT COUNT(*) FROM refused_reports WHERE task_id = :task AND attempt = :attempt"
                + " AND seq = :seq")
            .bind("task", taskId).bind("attempt", attempt).bind("seq", seq).mapTo(Long.class).one() > 0;
        if (held) {
            return false;
        }
        h.createUpdate("INSERT INTO refused_reports (instance_id, task_id, attempt, seq, worker_id, phase, message,"
                + " reason, received_at) VALUES (:instance, :task, :attempt, :seq, :worker, :phase, :message, :reason,"
                + " :now)")
            .bind("instance", instanceId).bind("task", taskId).bind("attempt", attempt).bind("seq", seq)
            .bind("worker", InstanceChange.truncate(workerId, 128)).bind("phase", phase.name())
            .bind("message", InstanceChange.truncate(message, 4000))
            .bind("reason", InstanceChange.truncate(reason, 1000)).bind("now", now).execute();
        return true;
    }

    /** The instance's refused reports, oldest first. */
    public List<RefusedReport> ofInstance(long instanceId, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM refused_reports"
                + " WHERE instance_id = :id ORDER BY id LIMIT :limit OFFSET :offset")
            .bind("id", instanceId).bind("limit", limit).bind("offset", offset)
            .map((rs, ctx) -> new RefusedReport(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
                rs.getLong(5), rs.getString(6), TaskPhase.valueOf(rs.getString(7)), rs.getString(8),
                rs.getString(9), Instant.ofEpochMilli(rs.getLong(10))))
            .list());
    }

    public long count(long instanceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM refused_reports WHERE instance_id = :id")
            .bind("id", instanceId).mapTo(Long.class).one());
    }
}
