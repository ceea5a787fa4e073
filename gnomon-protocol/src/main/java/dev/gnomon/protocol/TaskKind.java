package dev.gnomon.protocol;

/** What a dispatched task asks the processor to do. */
public enum TaskKind {
    /** Run the processor (a standalone task, a shard, a worker's share of a broadcast). */
    PROCESS,
    /** Run the broadcast post-step once every worker's task ended, with their results. */
    POST_BROADCAST
}
