package dev.gnomon.worker.transport;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.MessageCodec;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of a worker channel. The JDK WebSocket refuses a send while another is in
 * flight, so every send is chained after the previous one; order is kept as well.
 */
final class WebSocketConnection implements Connection {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

    private final WebSocket ws;
    private final Consumer<String> onClosed;
    private final Object lock = new Object();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private volatile boolean open = true;
    private volatile boolean bundles;
    private volatile long lastHeardNanos = System.nanoTime();

    WebSocketConnection(WebSocket ws, Consumer<String> onClosed) {
        this.ws = ws;
        this.onClosed = onClosed;
    }

    /** The server said it reads bundles of messages. */
    void bundles(boolean readsBundles) {
        this.bundles = readsBundles;
    }

    @Override
    public boolean send(Message message) {
        return sendFrames(List.of(MessageCodec.encode(message)));
    }

    @Override
    public boolean sendAll(List<? extends Message> messages) {
        return messages.isEmpty() || sendFrames(MessageCodec.frames(messages, bundles));
    }

    private boolean sendFrames(List<String> frames) {
        if (!open) {
            return false;
        }
        synchronized (lock) {
            for (String text : frames) {
                chain(text);
            }
        }
        return true;
    }

    private void chain(String text) {
        tail = tail.thenCompose(v -> ws.sendText(text, true))
            .whenComplete((w, e) -> {
                if (e != null) {
                    failed(e);
                }
            });
    }

    @Override
    public void close(String reason) {
        if (!open) {
            return;
        }
        open = false;
        String text = reason.length() > 120 ? reason.substring(0, 120) : reason;
        synchronized (lock) {
            tail.handle((v, e) -> null)
                .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, text))
                .orTimeout(2, TimeUnit.SECONDS)
                .whenComplete((w, e) -> ws.abort());
        }
        onClosed.accept("closed by worker: " + reason);
    }

    @Override
    public boolean isOpen() {
        return open && !ws.isOutputClosed();
    }

    /** A frame of any kind came from the server. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /**
     * Pings the server, or gives the channel up when nothing at all came from the server for
     * {@code silenceLimitNanos}: a server that is frozen or cut off keeps the TCP connection open,
     * and only its silence tells.
     */
    void keepAlive(long silenceLimitNanos) {
        if (!open) {
            return;
        }
        long silent = System.nanoTime() - lastHeardNanos;
        if (silent > silenceLimitNanos) {
            String why = "nothing from the server for " + silent / 1_000_000 + " ms";
            LOG.warn("Giving the worker channel up: {}", why);
            open = false;
            ws.abort();
            onClosed.accept(why);
            return;
        }
        synchronized (lock) {
            tail = tail.thenCompose(v -> ws.sendPing(java.nio.ByteBuffer.allocate(0)))
                .whenComplete((w, e) -> {
                    if (e != null) {
                        failed(e);
                    }
                });
        }
    }

    void markClosed() {
        open = false;
    }

    private void failed(Throwable error) {
        if (open) {
            LOG.warn("Sending on the worker channel failed: {}", error.toString());
            open = false;
            ws.abort();
            onClosed.accept("send failed: " + error);
        }
    }
}
