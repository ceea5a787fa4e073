package dev.gnomon.protocol.api;

/** Run a job now, with parameters for this instance (optional). */
public record RunRequest(String params) {
}
