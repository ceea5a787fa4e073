-- Task logs are stored in compressed chunks of consecutive lines of one task attempt instead
-- of a row per line. Lines stored by version 1 are not carried over.
DROP TABLE log_lines;

CREATE TABLE log_chunks (
    task_id     BIGINT   NOT NULL,
    attempt     INT      NOT NULL,
    first_seq   BIGINT   NOT NULL,
    last_seq    BIGINT   NOT NULL,
    instance_id BIGINT   NOT NULL,
    line_count  INT      NOT NULL,
    first_at    BIGINT   NOT NULL,
    last_at     BIGINT   NOT NULL,
    levels      INT      NOT NULL,
    dropped     BIGINT   NOT NULL,
    stored_at   BIGINT   NOT NULL,
    size_bytes  INT      NOT NULL,
    body        ${blob}  NOT NULL,
    PRIMARY KEY (task_id, attempt, first_seq)
) ${tableOptions};
CREATE INDEX log_chunks_instance ON log_chunks (instance_id, attempt, task_id, first_seq);
CREATE INDEX log_chunks_stored ON log_chunks (stored_at);
