package dev.gnomon.protocol.api;

import java.time.Instant;

public record AppResource(long id, String name, String description, Instant createdAt) {
}
