-- Decision 10 keeps each tick once through the unique key (job_id, scheduled_at). An instance
-- made by a run call, a retry or a batch has no scheduled_at, and NULLs never collide, yet every
-- version of such a row (created, dispatched, ended) added an entry to that index: none of those
-- writes is a HOT update, since state is a key column of instances_live. On PostgreSQL the key
-- becomes a unique index of the scheduled rows alone; it refuses a second row for a tick exactly
-- as before, with the same name and the same error.
-- MariaDB and H2 have no partial index and keep the constraint.

${postgresqlOnly}ALTER TABLE instances DROP CONSTRAINT instances_tick;
${postgresqlOnly}CREATE UNIQUE INDEX instances_tick ON instances (job_id, scheduled_at) WHERE scheduled_at IS NOT NULL;
