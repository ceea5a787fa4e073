package dev.gnomon.protocol;

/** What a worker says of a task attempt. */
public enum TaskPhase {
    /**
     * The processor started. A worker leaves it out when the attempt ended before this report
     * was sent: the end report then says both, and the server takes its arrival as the start.
     */
    STARTED,
    /** The processor returned success. */
    SUCCEEDED,
    /** The processor returned failure or threw. */
    FAILED,
    /** The worker stopped the processor because it ran past its timeout. */
    TIMED_OUT,
    /** The worker stopped the processor on request. */
    STOPPED,
    /** The worker will not run the task (unknown processor, shell not enabled, full). */
    REFUSED;

    public boolean terminal() {
        return this != STARTED;
    }
}
