package dev.gnomon.protocol.api;

import java.time.Instant;

/** A new API token. The token is shown this once; the server keeps only its hash. */
public record TokenCreated(long id, String name, String token, Instant createdAt) {
}
