-- The dispatch pass reads an app's waiting instances oldest first, a few hundred at a time. On
-- (app_id, state) alone the database had to find every waiting instance and sort them (or walk the
-- primary key past every ended one) on each pass, so a pass cost grew with the backlog and with the
-- instances already run. With id as the last column the pass reads just the rows it takes, in
-- order; the count of a job's instances holding a worker slot reads only the app's active ones.

DROP INDEX instances_live ${onInstances};
CREATE INDEX instances_live ON instances (app_id, state, id);
