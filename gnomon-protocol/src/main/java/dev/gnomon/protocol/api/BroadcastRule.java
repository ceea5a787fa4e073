package dev.gnomon.protocol.api;

/** When a broadcast instance counts as succeeded. */
public enum BroadcastRule {
    /** Every worker's task succeeded. */
    ALL,
    /** At least {@code threshold} workers' tasks succeeded. */
    AT_LEAST,
    /** At least {@code threshold} percent of the workers' tasks succeeded. */
    PERCENT
}
