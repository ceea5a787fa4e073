package dev.gnomon.protocol.api;

public enum BackoffKind {
    /** The same delay before every retry. */
    FIXED,
    /** The delay doubles after each failure, up to a cap. */
    EXPONENTIAL
}
