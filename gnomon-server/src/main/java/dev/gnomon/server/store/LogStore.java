package dev.gnomon.server.store;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.api.LogEntry;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Log lines of task attempts, stored once each by (task, attempt, seq). */
public final class LogStore {

    private final Jdbi jdbi;

    public LogStore(Database db) {
        this.jdbi = db.jdbi();
    }

    /**
     * Stores the lines not held yet and returns the highest sequence number now held for the
     * attempt. Lines arrive in order, so whatever is at or below the stored maximum is a resend.
     */
    public long append(long taskId, int attempt, long instanceId, List<LogLine> lines) {
        return jdbi.inTransaction(h -> {
            long held = h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM log_lines WHERE task_id = :task AND attempt = :attempt")
                .bind("task", taskId).bind("attempt", attempt).mapTo(Long.class).one();
            PreparedBatch batch = h.prepareBatch("INSERT INTO log_lines (task_id, attempt, seq, instance_id, logged_at,"
                + " log_level, line) VALUES (:task, :attempt, :seq, :instance, :at, :level, :line)");
            long max = held;
            for (LogLine line : lines) {
                if (line.seq() <= max) {
                    continue;
                }
                batch.bind("task", taskId).bind("attempt", attempt).bind("seq", line.seq()).bind("instance", instanceId)
                    .bind("at", line.at().toEpochMilli()).bind("level", line.level().name())
                    .bind("line", line.text() == null ? "" : line.text()).add();
                max = line.seq();
            }
            if (batch.size() > 0) {
                batch.execute();
            }
            return max;
        });
    }

    public List<LogEntry> read(long instanceId, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT attempt, seq, logged_at, log_level, line FROM log_lines"
                + " WHERE instance_id = :id ORDER BY attempt, task_id, seq LIMIT :limit OFFSET :offset")
            .bind("id", instanceId).bind("limit", limit).bind("offset", offset)
            .map((rs, ctx) -> new LogEntry(rs.getInt(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                LogLevel.valueOf(rs.getString(4)), rs.getString(5)))
            .list());
    }

    public long count(long instanceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM log_lines WHERE instance_id = :id")
            .bind("id", instanceId).mapTo(Long.class).one());
    }
}
