-- tasks_worker held an entry for every version of a task that had a worker and was not ended:
-- each dispatch (of a sub-task, a shard, a standalone instance's task) and each start added one.
-- The live tasks of a worker are few, the ones in flight, and tasks_live (V11) holds all of an
-- app's, so reading a worker's live tasks there and filtering by worker costs what is in flight.
-- What only tasks_worker can find is a worker's waiting tasks (a broadcast task bound to its
-- worker, among a map's waiting sub-tasks that have none). On PostgreSQL it now holds those alone,
-- and a dispatch or a start writes nothing to it.
-- MariaDB and H2 have no partial index and keep the full one.

${postgresqlOnly}DROP INDEX tasks_worker;
${postgresqlOnly}CREATE INDEX tasks_worker ON tasks (app_id, worker_id) WHERE state = 'WAITING' AND worker_id IS NOT NULL;
