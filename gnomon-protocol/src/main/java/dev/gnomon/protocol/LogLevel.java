package dev.gnomon.protocol;

/** Severity of a log line. A process's stdout is INFO, its stderr is WARN. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR
}
