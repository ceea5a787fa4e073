-- The database cost of a map's sub-tasks under two sets of task indexes, on PostgreSQL alone:
-- 200,000 rows written as a map writes them (created waiting, marked dispatched in batches of 250,
-- ended in batches of 250), timing each phase and counting the WAL written per sub-task.
--   psql -h 127.0.0.1 -U postgres -d test -v live_indexes=false -f bench/task-index-writes.sql
--   psql -h 127.0.0.1 -U postgres -d test -v live_indexes=true  -f bench/task-index-writes.sql
-- live_indexes=false: the full (app_id, state, id) and (worker_id, state) indexes Gnomon had before
-- migration V11; true: V11's partial indexes of live rows. Works on a scratch table, t_tasks,
-- dropped at the end; the other indexes are those of the tasks table.
\set ON_ERROR_STOP 1
DROP TABLE IF EXISTS t_tasks;
CREATE TABLE t_tasks (id BIGSERIAL PRIMARY KEY, instance_id BIGINT NOT NULL, app_id BIGINT NOT NULL,
    task_key VARCHAR(255) NOT NULL, attempt INT NOT NULL, state VARCHAR(16) NOT NULL, worker_id VARCHAR(128),
    result VARCHAR(4000), last_report_seq BIGINT NOT NULL, epoch BIGINT NOT NULL, dispatched_at BIGINT,
    started_at BIGINT, finished_at BIGINT, params TEXT, not_before BIGINT, map_seq BIGINT,
    CONSTRAINT t_tasks_attempt UNIQUE (instance_id, task_key, attempt));
CREATE INDEX t_tasks_instance_state_id ON t_tasks (instance_id, state, id);
CREATE INDEX t_tasks_waiting_by_id ON t_tasks (app_id, id) WHERE state = 'WAITING';
\if :live_indexes
CREATE INDEX t_tasks_live ON t_tasks (app_id, state, id) WHERE state IN ('DISPATCHED', 'RUNNING');
CREATE INDEX t_tasks_worker ON t_tasks (worker_id, state)
    WHERE worker_id IS NOT NULL AND state IN ('WAITING', 'DISPATCHED', 'RUNNING');
\else
CREATE INDEX t_tasks_waiting ON t_tasks (app_id, state, id);
CREATE INDEX t_tasks_worker ON t_tasks (worker_id, state);
\endif
CHECKPOINT;
SELECT pg_current_wal_lsn() AS wal_before \gset
\timing on
INSERT INTO t_tasks (instance_id, app_id, task_key, attempt, state, last_report_seq, epoch, params)
    SELECT 1, 1, 'map/' || g, 1, 'WAITING', 0, 1, g::text FROM generate_series(1, 200000) g;
DO $$ BEGIN FOR b IN 0..799 LOOP
    UPDATE t_tasks SET state = 'DISPATCHED', worker_id = 'w-' || (b % 2), dispatched_at = 1, epoch = 1
        WHERE id > b * 250 AND id <= (b + 1) * 250;
    UPDATE t_tasks SET state = 'SUCCEEDED', result = id::text, last_report_seq = 2, started_at = 2, finished_at = 2
        WHERE id > b * 250 AND id <= (b + 1) * 250;
END LOOP; END $$;
\timing off
SELECT pg_size_pretty(pg_current_wal_lsn() - :'wal_before'::pg_lsn) AS wal,
    round((pg_current_wal_lsn() - :'wal_before'::pg_lsn) / 200000.0) AS wal_bytes_per_sub_task;
DROP TABLE t_tasks;
