package dev.gnomon.worker.transport;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http} transport: one WebSocket to {@code ws://host:port/api/v1/worker/channel},
 * one JSON message per text frame, using the JDK's own HTTP client.
 */
public final class HttpTransport implements Transport {

    /** Where a server accepts worker channels. */
    public static final String CHANNEL_PATH = "/api/v1/worker/channel";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How often the worker pings the server. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    /**
     * Silence from the server after which the channel is given up and a new one opened. Any frame
     * counts (pongs, acks, dispatches), so latency costs nothing here until a round trip nears
     * this limit: on a 300 ms link a pong is back 600 ms after each ping, and seven pings in a row
     * must go unanswered. It matches the server's default suspect time, so a worker behind a dead
     * route starts a new channel about when the server starts to suspect it, well before LOST.
     */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(15);
    private static final ScheduledExecutorService KEEPALIVE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gnomon-channel-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient client;

    public HttpTransport() {
        this(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build());
    }

    public HttpTransport(HttpClient client) {
        this.client = client;
    }

    @Override
    public String protocol() {
        return Endpoint.HTTP;
    }

    @Override
    public CompletableFuture<Connection> connect(Endpoint endpoint, Connection.Listener listener) {
        if (!endpoint.protocol().equals(Endpoint.HTTP)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                "endpoint " + endpoint + " speaks " + endpoint.protocol() + "; the http transport needs an http endpoint"));
        }
        URI uri = URI.create("ws://" + endpoint.host() + ":" + endpoint.port() + CHANNEL_PATH);
        WebSocketListener wsListener = new WebSocketListener(listener);
        return client.newWebSocketBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .buildAsync(uri, wsListener)
            .thenApply(ws -> {
                WebSocketConnection connection = wsListener.connection(ws);
                keepAlive(connection);
                return connection;
            });
    }

    private static void keepAlive(WebSocketConnection connection) {
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = KEEPALIVE.scheduleAtFixedRate(() -> {
            if (!connection.isOpen()) {
                task[0].cancel(false);
                return;
            }
            connection.keepAlive(SILENCE_LIMIT.toNanos());
        }, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
}
