package dev.gnomon.protocol.api;

/** What a fire does when the job already has its maximum of live instances. */
public enum OverlapPolicy {
    /** Record the tick as SKIPPED and do not run it. */
    SKIP,
    /** Keep the instance WAITING until a running one ends. */
    QUEUE
}
