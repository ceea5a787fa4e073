-- The dispatch pass reads an app's waiting tasks from a mark past those it already sent (their
-- entries in tasks_waiting_by_id stay until a vacuum). A retry that waits for its time
-- (not_before) may be left below the mark, so the one-second pass looked for such tasks by reading
-- from the first entry: during a large map, a walk of every entry that the sub-tasks sent since
-- the last vacuum left, once a second. This index holds the delayed waiting tasks alone, so that
-- pass reads them and nothing else.
-- MariaDB and H2 have no partial index; they leave no such entries and read from the first.

${postgresqlOnly}CREATE INDEX tasks_delayed ON tasks (app_id, id) WHERE state = 'WAITING' AND not_before IS NOT NULL;
