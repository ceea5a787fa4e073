package dev.gnomon.protocol.api;

/** What to do with ticks missed while no server could fire them (downtime, failover). */
public enum MisfirePolicy {
    /** Fire one instance for all the missed ticks, keyed by the latest of them. */
    FIRE_ONCE,
    /** Fire nothing for missed ticks; go on with the next one. */
    SKIP,
    /** Fire each missed tick, the latest {@code bound} of them at most. */
    FIRE_ALL
}
