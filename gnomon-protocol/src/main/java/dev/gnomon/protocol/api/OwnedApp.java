package dev.gnomon.protocol.api;

/** An app whose lease a server holds, at this epoch, for this many more milliseconds. */
public record OwnedApp(String app, long epoch, long expiresInMs) {
}
