package dev.gnomon.protocol;

import java.util.List;

/**
 * Log lines of one task attempt, in sequence order. The server stores each (taskId, attempt,
 * seq) once and acknowledges the highest sequence number it holds.
 *
 * @param dropped lines of this attempt the worker dropped so far because its spool was full or
 *                the lines were too old; the same total on every resend
 */
public record LogBatch(long taskId, int attempt, long instanceId, List<LogLine> lines, long dropped)
    implements Message {

    public LogBatch {
        lines = List.copyOf(lines);
    }

    /** A batch from an attempt that dropped nothing. */
    public LogBatch(long taskId, int attempt, long instanceId, List<LogLine> lines) {
        this(taskId, attempt, instanceId, lines, 0);
    }
}
