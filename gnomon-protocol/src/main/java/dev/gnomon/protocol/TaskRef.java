package dev.gnomon.protocol;

/** Names one attempt of one task. */
public record TaskRef(long taskId, int attempt) {
}
