package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Row mappers for the rows read on every dispatch pass and report batch (jobs, instances, tasks),
 * written out by column name: a reflective mapper works out its columns again for each query,
 * which cost more than the query itself on the owner's busiest paths.
 */
final class Rows {

    private Rows() {
    }

    static final RowMapper<JobRow> JOB = (rs, ctx) -> new JobRow(rs.getLong("id"), rs.getLong("app_id"),
        rs.getString("name"), rs.getString("description"), rs.getBoolean("enabled"), rs.getString("processor"),
        rs.getString("params"), rs.getString("schedule_type"), rs.getString("cron"), rs.getString("time_zone"),
        nullableLong(rs, "every_ms"), nullableLong(rs, "at_ms"), nullableLong(rs, "start_at"),
        nullableLong(rs, "end_at"), rs.getString("misfire_policy"), rs.getInt("misfire_bound"), rs.getString("mode"),
        rs.getInt("max_concurrent"), rs.getString("overlap"), rs.getInt("max_retries"), rs.getString("backoff"),
        rs.getLong("retry_delay_ms"), rs.getLong("retry_max_delay_ms"), rs.getLong("timeout_ms"),
        nullableLong(rs, "next_fire_at"), rs.getLong("created_at"), rs.getLong("updated_at"), rs.getString("selection"),
        rs.getString("shards"), rs.getString("broadcast"));

    static final RowMapper<InstanceRow> INSTANCE = (rs, ctx) -> new InstanceRow(rs.getLong("id"), rs.getLong("app_id"),
        rs.getLong("job_id"), InstanceState.valueOf(rs.getString("state")), rs.getString("trigger_kind"),
        nullableLong(rs, "scheduled_at"), rs.getString("params"), rs.getInt("attempt"), rs.getInt("max_attempts"),
        rs.getString("worker_id"), rs.getString("result"), rs.getString("reason"), rs.getString("owner_id"),
        rs.getLong("epoch"), nullableLong(rs, "retry_of"), rs.getLong("created_at"), nullableLong(rs, "started_at"),
        nullableLong(rs, "finished_at"), nullableLong(rs, "next_attempt_at"), rs.getLong("updated_at"));

    static final RowMapper<TaskRow> TASK = (rs, ctx) -> new TaskRow(rs.getLong("id"), rs.getLong("instance_id"),
        rs.getLong("app_id"), rs.getString("task_key"), rs.getInt("attempt"), rs.getString("state"),
        rs.getString("worker_id"), rs.getString("result"), rs.getLong("last_report_seq"), rs.getLong("epoch"),
        nullableLong(rs, "dispatched_at"), nullableLong(rs, "started_at"), nullableLong(rs, "finished_at"),
        rs.getString("params"), nullableLong(rs, "not_before"));

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
