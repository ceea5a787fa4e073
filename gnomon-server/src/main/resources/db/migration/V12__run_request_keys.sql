-- A run-now call may carry an idempotency key: a client that lost the answer (a connection the
-- server closed as the request went out, a timeout) sends the same call again with the same key
-- and gets the instances the first one made instead of new ones. One row per call that carried a
-- key, written in the transaction of its instances, whatever their number: the instances' own
-- rows, which every dispatch and report updates, gain no column and no index entry. The ids are
-- the call's instances in its order, separated by commas. A row goes with its job.

CREATE TABLE run_keys (
    job_id        BIGINT        NOT NULL,
    request_key   VARCHAR(64)   NOT NULL,
    instance_ids  ${text}       NOT NULL,
    created_at    BIGINT        NOT NULL,
    PRIMARY KEY (job_id, request_key)
) ${tableOptions};
-- Keys are kept for a while (gnomon.run-keys.retention); the sweep reads the oldest first.
CREATE INDEX run_keys_age ON run_keys (created_at);
