package dev.gnomon.protocol;

/**
 * The server holds something durably. For REPORT, {@code seq} is the report acknowledged; for
 * LOG, every line up to and including {@code seq}.
 */
public record Ack(AckKind kind, long taskId, int attempt, long seq) implements Message {

    public enum AckKind { REPORT, LOG }
}
