package dev.gnomon.worker;

/**
 * The log of one task attempt. Patterns use {@code {}} placeholders as in SLF4J; a trailing
 * {@link Throwable} argument is appended with its class and message. Lines are numbered, kept
 * until the server holds them, and also written to SLF4J at DEBUG.
 */
public interface TaskLogger {

    /** Writes a DEBUG line. */
    void debug(String pattern, Object... args);

    /** Writes an INFO line. */
    void info(String pattern, Object... args);

    /** Writes a WARN line. */
    void warn(String pattern, Object... args);

    /** Writes an ERROR line. */
    void error(String pattern, Object... args);
}
