package dev.gnomon.server.transport;

import dev.gnomon.protocol.HelloRejected;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.MessageCodec;
import dev.gnomon.protocol.ProtocolException;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.server.dispatch.WorkerGate;
import dev.gnomon.server.dispatch.WorkerHub;
import dev.gnomon.server.dispatch.WorkerLink;
import dev.gnomon.server.dispatch.WorkerSession;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker channel of the {@code http} transport: a WebSocket carrying one JSON message per
 * text frame. The first message must be {@link WorkerHello}.
 */
public final class HttpWorkerChannel {

    public static final String PATH = "/api/v1/worker/channel";
    private static final Logger LOG = LoggerFactory.getLogger(HttpWorkerChannel.class);
    private static final String SESSION = "gnomon.session";

    private final WorkerGate gate;
    private final WorkerHub hub;
    private final Duration idleTimeout;

    public HttpWorkerChannel(WorkerGate gate, WorkerHub hub, Duration idleTimeout) {
        this.gate = gate;
        this.hub = hub;
        this.idleTimeout = idleTimeout;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> ctx.session.setIdleTimeout(idleTimeout));
        ws.onMessage(ctx -> {
            Message message;
            try {
                message = MessageCodec.decode(ctx.message());
            } catch (ProtocolException e) {
                LOG.warn("closing worker channel from {}: {}", ctx.session.getRemoteSocketAddress(), e.getMessage());
                ctx.closeSession(1003, "not a Gnomon message");
                return;
            }
            WorkerSession session = ctx.attribute(SESSION);
            if (session != null) {
                for (Message m : MessageCodec.unbundle(message)) {
                    hub.received(session, m);
                }
            } else if (message instanceof WorkerHello hello) {
                gate.admit(hello, new Link(ctx, hello.bundles())).ifPresent(s -> ctx.attribute(SESSION, s));
            } else {
                new Link(ctx, false).send(new HelloRejected("the first message must be WorkerHello", false));
                ctx.closeSession(1008, "the first message must be WorkerHello");
            }
        });
        ws.onClose(ctx -> {
            WorkerSession session = ctx.attribute(SESSION);
            if (session != null) {
                hub.disconnected(session, ctx.status() + " " + ctx.reason());
            }
        });
        ws.onError(ctx -> LOG.debug("worker channel error: {}", String.valueOf(ctx.error())));
    }

    /** Sends are serialised per channel; Jetty queues the frames and writes them in order. */
    private static final class Link implements WorkerLink {
        private final WsContext ctx;
        /** Whether the worker said it reads bundles of messages. */
        private final boolean bundles;

        Link(WsContext ctx, boolean bundles) {
            this.ctx = ctx;
            this.bundles = bundles;
        }

        @Override
        public synchronized boolean send(Message message) {
            if (!ctx.session.isOpen()) {
                return false;
            }
            ctx.session.sendText(MessageCodec.encode(message), Callback.NOOP);
            return true;
        }

        @Override
        public synchronized boolean sendAll(List<? extends Message> messages) {
            if (!ctx.session.isOpen()) {
                return false;
            }
            for (String frame : MessageCodec.frames(messages, bundles)) {
                ctx.session.sendText(frame, Callback.NOOP);
            }
            return true;
        }

        @Override
        public void close(String reason) {
            if (ctx.session.isOpen()) {
                ctx.closeSession(1000, reason.length() > 100 ? reason.substring(0, 100) : reason);
            }
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(ctx.session.getRemoteSocketAddress());
        }
    }
}
