-- Execution modes and worker selection.
-- A job's worker selection, shard parameters and broadcast rule are JSON documents (null: the
-- defaults). A task now exists before it is dispatched: WAITING with no worker (a shard) or
-- bound to its worker (a broadcast task); not_before delays a task's retry; params hold the
-- shard's own parameter.

ALTER TABLE jobs ADD selection ${text};
ALTER TABLE jobs ADD shards ${text};
ALTER TABLE jobs ADD broadcast ${text};

ALTER TABLE tasks ADD params ${text};
ALTER TABLE tasks ADD not_before BIGINT;
CREATE INDEX tasks_waiting ON tasks (app_id, state, id);
CREATE INDEX tasks_instance ON tasks (instance_id, state);

ALTER TABLE workers ADD tags VARCHAR(1000);
