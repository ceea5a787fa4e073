package dev.gnomon.protocol;

/** What a dispatched task asks the processor to do. */
public enum TaskKind {
    /** Run the processor (a standalone task, a shard, a worker's share of a broadcast). */
    PROCESS,
    /** Run the broadcast post-step once every worker's task ended, with their results. */
    POST_BROADCAST,
    /** Run the reduce step of a map-reduce instance once every task ended; it reads their results page by page. */
    REDUCE
}
