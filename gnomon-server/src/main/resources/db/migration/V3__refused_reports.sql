-- Reports a server refused: a worker's word on an attempt that had already ended or been
-- replaced (its worker was declared lost, the instance was stopped). They are acknowledged so
-- the worker stops resending them, and kept here so people can see what came too late.
CREATE TABLE refused_reports (
    id          ${id},
    instance_id BIGINT        NOT NULL,
    task_id     BIGINT        NOT NULL,
    attempt     INT           NOT NULL,
    seq         BIGINT        NOT NULL,
    worker_id   VARCHAR(128)  NOT NULL,
    phase       VARCHAR(16)   NOT NULL,
    message     VARCHAR(4000),
    reason      VARCHAR(1000) NOT NULL,
    received_at BIGINT        NOT NULL,
    CONSTRAINT refused_reports_report UNIQUE (task_id, attempt, seq)
) ${tableOptions};
CREATE INDEX refused_reports_instance ON refused_reports (instance_id, id);
