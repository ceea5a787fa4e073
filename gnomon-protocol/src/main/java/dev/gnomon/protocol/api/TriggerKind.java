package dev.gnomon.protocol.api;

/** What made an instance. */
public enum TriggerKind {
    /** Its job's schedule. */
    SCHEDULE,
    /** A run-now call through the API. */
    API,
    /** A retry of a finished instance through the API. */
    MANUAL_RETRY
}
