package dev.gnomon.protocol.api;

import dev.gnomon.protocol.TaskPhase;
import java.time.Instant;

/**
 * A report a server acknowledged but did not apply, because the attempt it speaks of had already
 * ended or been replaced: typically the late result of a worker that was declared lost and came
 * back. It is kept so people can see what the worker said and why it changed nothing.
 *
 * @param taskId     the task attempt the report is about
 * @param attempt    the attempt number the worker ran
 * @param seq        the report's sequence number within the attempt
 * @param workerId   the worker that sent it
 * @param phase      what the worker said
 * @param message    the worker's message (a result or an error), or null
 * @param reason     why the server refused it
 * @param receivedAt when the server first received it
 */
public record RefusedReport(long id, long instanceId, long taskId, int attempt, long seq, String workerId,
                            TaskPhase phase, String message, String reason, Instant receivedAt) {
}
