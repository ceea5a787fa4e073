-- Map and map-reduce: a sub-task batch is stored once per (instance, emitting task key, seq),
-- whichever attempt of that task sends it. A task re-run after its worker was lost emits its
-- batches again from seq 1; those an earlier attempt stored are acknowledged, not stored twice.
-- task_id: the attempt that stored the batch.

CREATE TABLE map_batches (
    instance_id BIGINT        NOT NULL,
    task_key    VARCHAR(255)  NOT NULL,
    seq         BIGINT        NOT NULL,
    task_id     BIGINT        NOT NULL,
    PRIMARY KEY (instance_id, task_key, seq)
) ${tableOptions};
