package dev.gnomon.protocol.api;

/** How the dispatcher chooses among the workers a job's selection allows. */
public enum SelectionStrategy {
    /** Any allowed worker with a free slot, chosen at random. */
    RANDOM,
    /** The allowed workers in turn, ordered by worker id. */
    ROUND_ROBIN,
    /** The worker with the smallest share of its slots in use, then the lowest CPU load (the default). */
    LEAST_LOADED,
    /** The same worker for the same key while it stays allowed (rendezvous hashing on the job's hash key). */
    CONSISTENT_HASH
}
