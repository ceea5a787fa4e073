package dev.gnomon.server.store;

/** A stored app. */
public record AppRow(long id, String name, String description, String secretHash, long createdAt) {
}
