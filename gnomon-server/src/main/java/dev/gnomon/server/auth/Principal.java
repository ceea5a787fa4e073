package dev.gnomon.server.auth;

/** Who makes an API call. */
public record Principal(long userId, String name, String role) {
}
