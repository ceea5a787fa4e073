package dev.gnomon.server.store;

import dev.gnomon.server.ConflictException;

/**
 * A run-now insert carried a request key that an instance of the job already holds: the call was
 * made before, and nothing new was stored. The caller answers with the instances the first call made.
 */
public class DuplicateRunException extends ConflictException {

    private final long jobId;

    public DuplicateRunException(long jobId) {
        super("a run of job " + jobId + " with the same Idempotency-Key is already recorded; nothing new was stored");
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}
