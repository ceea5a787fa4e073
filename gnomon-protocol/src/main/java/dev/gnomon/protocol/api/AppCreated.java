package dev.gnomon.protocol.api;

/** A new app and its secret. The secret is shown this once; the server keeps only its hash. */
public record AppCreated(AppResource app, String secret) {
}
