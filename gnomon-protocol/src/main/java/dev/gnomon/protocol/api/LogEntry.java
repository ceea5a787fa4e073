package dev.gnomon.protocol.api;

import dev.gnomon.protocol.LogLevel;
import java.time.Instant;

/** One stored log line of an instance. */
public record LogEntry(int attempt, long seq, Instant at, LogLevel level, String text) {
}
