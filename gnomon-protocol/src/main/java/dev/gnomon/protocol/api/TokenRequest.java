package dev.gnomon.protocol.api;

/** Create an API token for the calling user. */
public record TokenRequest(String name) {
}
