package dev.gnomon.protocol.api;

import java.util.Map;

/**
 * How many task attempts of an instance are in each state.
 *
 * @param total    every attempt of every task
 * @param byState  attempts per state; states with none are left out
 */
public record TaskCounts(long instanceId, long total, Map<String, Long> byState) {

    public TaskCounts {
        byState = byState == null ? Map.of() : Map.copyOf(byState);
    }
}
