package dev.gnomon.protocol.api;

/** Create an app. The name is 1-64 of letters, digits, '-', '_' and '.'. */
public record AppRequest(String name, String description) {
}
