package dev.gnomon.protocol;

import java.time.Instant;

/**
 * A change in a task attempt's state, sent by the worker until the server acknowledges it with
 * an {@link Ack} of kind REPORT. Keyed by (taskId, attempt, seq): a resent report is the same
 * report.
 *
 * @param taskId  the task
 * @param attempt the attempt
 * @param seq     report number within the attempt, from 1
 * @param phase   what happened
 * @param message result text or error message (may be null)
 * @param at      when it happened, on the worker's clock
 */
public record TaskReport(long taskId, int attempt, long seq, TaskPhase phase, String message, Instant at)
    implements Message {

    public TaskRef ref() {
        return new TaskRef(taskId, attempt);
    }
}
