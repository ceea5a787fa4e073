package dev.gnomon.protocol;

/** Why the server asks a worker to stop a task. */
public enum StopReason {
    /** A person or a script asked for it through the API. */
    USER,
    /** The task ran past its job's timeout. */
    TIMEOUT,
    /** Another attempt replaced this one; its result would be refused. */
    SUPERSEDED
}
