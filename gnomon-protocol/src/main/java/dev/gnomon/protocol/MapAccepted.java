package dev.gnomon.protocol;

/**
 * The server's answer to a {@link MapTasks} batch: its sub-tasks are stored ({@code refusal} is
 * null), or they never will be and {@code refusal} says why (the attempt ended, the job's mode
 * does not map). Either way the worker stops sending the batch.
 */
public record MapAccepted(long taskId, int attempt, long seq, String refusal) implements Message {

    public TaskRef ref() {
        return new TaskRef(taskId, attempt);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
