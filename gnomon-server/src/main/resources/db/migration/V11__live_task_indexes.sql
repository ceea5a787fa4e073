-- Every task row is written three times or more (created waiting, dispatched, ended) and state is
-- a key column of its indexes, so none of those writes is a HOT update: each adds an entry to
-- every index of the table, and a map-reduce of a million sub-tasks writes tens of millions of
-- them. Two indexes serve only tasks that are live (waiting with a bound worker, dispatched or
-- running): the reads of a lost worker's tasks, of overdue tasks and of the tasks a new owner
-- fences. On PostgreSQL they become partial indexes of the live rows alone, so a sub-task that
-- ends (and one created waiting for any worker) writes nothing to them, and they stay as small as
-- the work in flight. Waiting tasks are read through tasks_waiting_by_id (V10).
-- MariaDB and H2 have no partial index and keep the full ones.

${postgresqlOnly}DROP INDEX tasks_waiting;
${postgresqlOnly}CREATE INDEX tasks_live ON tasks (app_id, state, id) WHERE state IN ('DISPATCHED', 'RUNNING');
${postgresqlOnly}DROP INDEX tasks_worker;
${postgresqlOnly}CREATE INDEX tasks_worker ON tasks (worker_id, state)
${postgresqlOnly}    WHERE worker_id IS NOT NULL AND state IN ('WAITING', 'DISPATCHED', 'RUNNING');
