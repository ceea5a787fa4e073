package dev.gnomon.protocol.api;

/** Where an instance is in its life. The allowed changes are listed in one table on the server. */
public enum InstanceState {
    /** Created, waiting for a worker, a free slot or its retry time. */
    WAITING,
    /** Sent to a worker, not yet started there. */
    DISPATCHED,
    /** The processor runs. */
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Stopped through the API. */
    STOPPED,
    /** Ran past the job's timeout on its last attempt. */
    TIMED_OUT,
    /** Its tick came while the job was at its concurrency limit with overlap SKIP. */
    SKIPPED;

    public boolean terminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, STOPPED, TIMED_OUT, SKIPPED -> true;
            case WAITING, DISPATCHED, RUNNING -> false;
        };
    }
}
