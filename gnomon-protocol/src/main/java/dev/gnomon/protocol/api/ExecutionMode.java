package dev.gnomon.protocol.api;

/** How an instance is split into tasks. */
public enum ExecutionMode {
    /** One task on one worker. */
    STANDALONE,
    /** One task per selected worker. */
    BROADCAST,
    /** A root task that emits sub-tasks. */
    MAP,
    /** Map, then one reduce step over every sub-task's result. */
    MAP_REDUCE,
    /** N shards, one task each. */
    SHARDING
}
