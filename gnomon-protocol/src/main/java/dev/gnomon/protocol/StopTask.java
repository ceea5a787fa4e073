package dev.gnomon.protocol;

/** Stop one attempt of a task: interrupt the processor, and for a process, the whole tree. */
public record StopTask(long taskId, int attempt, StopReason reason) implements Message {

    public TaskRef ref() {
        return new TaskRef(taskId, attempt);
    }
}
