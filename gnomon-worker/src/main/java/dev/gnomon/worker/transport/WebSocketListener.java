package dev.gnomon.worker.transport;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.MessageCodec;
import dev.gnomon.protocol.ProtocolException;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one message at a time, joining partial text frames, and reports the close once. */
final class WebSocketListener implements WebSocket.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketListener.class);

    private final Connection.Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private WebSocketConnection connection;

    WebSocketListener(Connection.Listener listener) {
        this.listener = listener;
    }

    /** The connection for this socket; the same object whichever of open and connect comes first. */
    synchronized WebSocketConnection connection(WebSocket ws) {
        if (connection == null) {
            connection = new WebSocketConnection(ws, this::closed);
        }
        return connection;
    }

    @Override
    public void onOpen(WebSocket ws) {
        connection(ws);
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        connection(ws).heard();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            deliver(text);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, java.nio.ByteBuffer message) {
        connection(ws).heard();
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, java.nio.ByteBuffer message) {
        connection(ws).heard();
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        connection(ws).markClosed();
        closed("closed by server (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        connection(ws).markClosed();
        closed(error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    private void deliver(String text) {
        Message message;
        try {
            message = MessageCodec.decode(text);
        } catch (ProtocolException e) {
            LOG.warn("Ignoring a frame the worker cannot read: {}", e.getMessage());
            return;
        }
        if (message instanceof HelloAccepted accepted && connection != null) {
            connection.bundles(accepted.bundles());
        }
        for (Message m : MessageCodec.unbundle(message)) {
            try {
                listener.onMessage(m);
            } catch (RuntimeException e) {
                LOG.error("Handling {} failed", m.getClass().getSimpleName(), e);
            }
        }
    }

    private void closed(String reason) {
        if (closed.compareAndSet(false, true)) {
            listener.onClosed(reason);
        }
    }
}
