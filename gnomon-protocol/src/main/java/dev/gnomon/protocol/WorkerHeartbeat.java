package dev.gnomon.protocol;

import java.time.Instant;

/**
 * A worker is alive, and how loaded it is.
 *
 * @param at            the worker's clock when it sent this (for display only; servers judge by their own clock)
 * @param cpuLoad       system CPU load, 0.0 to 1.0, or -1 when unknown
 * @param cpuCount      processors available to the worker's JVM
 * @param memoryUsed    heap bytes in use
 * @param memoryMax     heap bytes the JVM may use
 * @param runningTasks  tasks running now
 * @param maxTasks      tasks the worker runs at once
 */
public record WorkerHeartbeat(
    Instant at,
    double cpuLoad,
    int cpuCount,
    long memoryUsed,
    long memoryMax,
    int runningTasks,
    int maxTasks) implements Message {
}
