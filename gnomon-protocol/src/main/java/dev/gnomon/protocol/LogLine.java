package dev.gnomon.protocol;

import java.time.Instant;

/** One log line: its number within the attempt, when, how severe, and what it says. */
public record LogLine(long seq, Instant at, LogLevel level, String text) {
}
