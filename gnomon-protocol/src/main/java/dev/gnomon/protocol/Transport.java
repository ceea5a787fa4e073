package dev.gnomon.protocol;

import java.util.concurrent.CompletableFuture;

/**
 * The worker's side of one transport ({@code http}: WebSocket; {@code grpc}: a bidirectional
 * stream). A worker picks the transport whose {@link #protocol()} matches the endpoint.
 */
public interface Transport {

    /** The protocol name this transport speaks, as in {@link Endpoint#protocol()}. */
    String protocol();

    /**
     * Opens a channel to the endpoint. The future fails when the endpoint cannot be reached or
     * speaks another protocol.
     */
    CompletableFuture<Connection> connect(Endpoint endpoint, Connection.Listener listener);
}
