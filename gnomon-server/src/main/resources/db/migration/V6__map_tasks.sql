-- Map and map-reduce.
-- map_seq: the last batch of sub-tasks a task attempt emitted, so that a resent batch is applied
-- once. The index lets the owner read an instance's results and failures page by page, by id.

ALTER TABLE tasks ADD map_seq BIGINT;
CREATE INDEX tasks_instance_state_id ON tasks (instance_id, state, id);
