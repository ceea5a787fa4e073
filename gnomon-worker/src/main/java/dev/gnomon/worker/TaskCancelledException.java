package dev.gnomon.worker;

/** Thrown by {@link TaskContext#checkCancelled()} once a task was stopped or timed out. */
public class TaskCancelledException extends RuntimeException {

    /** @param message why the task was cancelled */
    public TaskCancelledException(String message) {
        super(message);
    }
}
