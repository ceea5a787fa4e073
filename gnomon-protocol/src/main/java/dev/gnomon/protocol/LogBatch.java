package dev.gnomon.protocol;

import java.util.List;

/**
 * Log lines of one task attempt, in sequence order. The server stores each (taskId, attempt,
 * seq) once and acknowledges the highest sequence number it holds.
 */
public record LogBatch(long taskId, int attempt, long instanceId, List<LogLine> lines) implements Message {
    public LogBatch {
        lines = List.copyOf(lines);
    }
}
