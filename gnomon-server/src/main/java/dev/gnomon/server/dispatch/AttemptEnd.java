package dev.gnomon.server.dispatch;

/** How one attempt of an instance ended. */
public enum AttemptEnd {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    STOPPED,
    /** The worker would not run it (unknown processor, shell not enabled, full). */
    REFUSED,
    /** The worker went silent past the lost timeout. */
    WORKER_LOST;

    /** Whether the job's retry policy may run another attempt after this end. */
    boolean retryable() {
        return this != SUCCEEDED && this != STOPPED;
    }
}
