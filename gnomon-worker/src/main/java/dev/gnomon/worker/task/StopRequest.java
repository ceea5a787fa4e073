package dev.gnomon.worker.task;

import dev.gnomon.protocol.TaskPhase;

/** Why a task is being stopped: the terminal phase to report and the text that goes with it. */
record StopRequest(TaskPhase phase, String message) {
}
