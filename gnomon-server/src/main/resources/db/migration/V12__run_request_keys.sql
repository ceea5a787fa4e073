-- A run-now call may carry an idempotency key: a client that lost the answer (a connection the
-- server closed as the request went out, a timeout) sends the same call again with the same key
-- and gets the instance the first one made instead of a second run. The key is stored on the
-- instance it made (for a batch: the key, '#' and the item's index), unique per job, and lives as
-- long as the instance. On PostgreSQL the index holds only keyed rows, so that instances made
-- without a key (every scheduled tick) write nothing to it.

ALTER TABLE instances ADD request_key VARCHAR(80);
${postgresqlOnly}CREATE UNIQUE INDEX instances_request_key ON instances (job_id, request_key) WHERE request_key IS NOT NULL;
${notPostgresql}CREATE UNIQUE INDEX instances_request_key ON instances (job_id, request_key);
