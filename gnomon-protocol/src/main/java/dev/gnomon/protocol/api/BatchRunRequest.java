package dev.gnomon.protocol.api;

import java.util.List;

/**
 * Run a job now several times in one call: one instance per item, all recorded in one
 * transaction or none. At most {@link #MAX_RUNS} items.
 */
public record BatchRunRequest(List<RunRequest> runs) {

    /** The most runs one call may ask for. */
    public static final int MAX_RUNS = 1000;
}
