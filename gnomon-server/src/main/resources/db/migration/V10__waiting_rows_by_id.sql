-- The dispatch pass reads an app's oldest waiting tasks and instances. On PostgreSQL the planner,
-- with statistics that lag a map whose sub-tasks go from waiting to ended by the hundred thousand,
-- walked the primary key from the table's first row instead, filtering every ended row on each
-- pass: 150-200 ms a read during a large map-reduce instead of a few. An index of the waiting rows
-- alone holds only what a pass can take, so it is the cheapest plan whatever the statistics say; a
-- row enters it only when it is written waiting (created, or put back for a retry), and leaving
-- that state writes nothing to it.
-- MariaDB and H2 have no partial index and plan these reads through (app_id, state, id).

${postgresqlOnly}CREATE INDEX tasks_waiting_by_id ON tasks (app_id, id) WHERE state = 'WAITING';
${postgresqlOnly}CREATE INDEX instances_waiting_by_id ON instances (app_id, id) WHERE state = 'WAITING';
