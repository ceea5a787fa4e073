package dev.gnomon.worker.channel;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.HelloRejected;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.Redirect;
import dev.gnomon.protocol.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one channel open to the server that owns the worker's app: tries the shuffled server
 * list in turn, follows redirects, and reconnects with jittered backoff when the channel drops.
 * It never gives up, except when a server says the worker can never be accepted.
 */
public final class ChannelClient {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelClient.class);
    private static final long CONNECT_TIMEOUT_MS = 10_000;
    private static final int REDIRECTS_BEFORE_BACKOFF = 3;

    private final List<Endpoint> servers;
    private final Transport transport;
    private final ChannelHandler handler;
    private final Backoff backoff;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object monitor = new Object();
    private final Thread thread;
    private volatile Connection live;
    private volatile ChannelSession session;
    private volatile boolean closed;

    public ChannelClient(List<Endpoint> servers, Transport transport, Backoff backoff, Random random,
                         ChannelHandler handler) {
        List<Endpoint> shuffled = new ArrayList<>(servers);
        Collections.shuffle(shuffled, random);
        this.servers = List.copyOf(shuffled);
        this.transport = transport;
        this.handler = handler;
        this.backoff = backoff;
        this.thread = new Thread(this::loop, "gnomon-worker-channel");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The channel once a server accepted the worker; null while disconnected. */
    public Connection live() {
        return live;
    }

    public boolean isConnected() {
        return live != null;
    }

    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (live == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    public void close() throws InterruptedException {
        closed = true;
        closing.countDown();
        ChannelSession current = session;
        if (current != null) {
            current.close("worker is shutting down");
        }
        thread.join(5_000);
    }

    private void loop() {
        int next = 0;
        int redirects = 0;
        boolean outageLogged = false;
        Endpoint redirectTo = null;
        while (!closed) {
            Endpoint target = redirectTo != null ? redirectTo : servers.get(next++ % servers.size());
            redirectTo = null;
            ChannelSession s = new ChannelSession(target);
            session = s;
            String failure = s.run();
            setLive(null);
            if (s.accepted) {
                handler.onDisconnected();
            }
            if (closed) {
                break;
            }
            if (s.rejectedForGood) {
                LOG.error("Gnomon worker stops connecting: {} refused it for good ({}). Tasks can not be dispatched "
                    + "to this worker until it is restarted with the right app and secret.", target, s.rejection);
                break;
            }
            if (s.redirect != null) {
                redirectTo = s.redirect;
                if (++redirects <= REDIRECTS_BEFORE_BACKOFF) {
                    continue;
                }
            } else {
                redirects = 0;
            }
            if (s.accepted) {
                LOG.warn("Lost the channel to Gnomon server {} ({}); reconnecting", target, failure);
                outageLogged = true;
            } else if (!outageLogged) {
                LOG.warn("Cannot reach a Gnomon server yet (last tried {}: {}); will keep trying {}", target, failure,
                    servers);
                outageLogged = true;
            }
            pause(backoff.nextDelayMillis());
        }
    }

    private void pause(long millis) {
        try {
            closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void setLive(Connection connection) {
        synchronized (monitor) {
            live = connection;
            monitor.notifyAll();
        }
    }

    /** One try: connect, say hello, and serve the channel until it closes. */
    private final class ChannelSession implements Connection.Listener {
        private final Endpoint target;
        private final CompletableFuture<String> ended = new CompletableFuture<>();
        private volatile Connection connection;
        volatile boolean accepted;
        volatile boolean rejectedForGood;
        volatile String rejection;
        volatile Endpoint redirect;

        ChannelSession(Endpoint target) {
            this.target = target;
        }

        /** Returns why the channel ended. */
        String run() {
            try {
                connection = transport.connect(target, this).get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String name = cause.getClass().getSimpleName();
                return cause.getMessage() == null ? name : name + ": " + cause.getMessage();
            }
            if (closed) {
                connection.close("worker is shutting down");
                return "worker is shutting down";
            }
            connection.send(handler.hello());
            return ended.join();
        }

        void close(String reason) {
            Connection c = connection;
            if (c != null) {
                c.close(reason);
            }
            ended.complete(reason);
        }

        @Override
        public void onMessage(Message message) {
            if (message instanceof HelloAccepted a) {
                accepted = true;
                handler.onAccepted(connection, a);
                setLive(connection);
                backoff.reset();
                LOG.info("Connected to Gnomon server {} at {}", a.serverId(), target);
            } else if (message instanceof HelloRejected r) {
                rejection = r.reason();
                rejectedForGood = !r.retryable();
                if (r.retryable()) {
                    LOG.warn("Gnomon server {} cannot take this worker now: {} (will try again)", target, r.reason());
                } else {
                    LOG.error("Gnomon server {} rejected this worker: {} (will not try again)", target, r.reason());
                }
                close("rejected: " + r.reason());
            } else if (message instanceof Redirect r) {
                redirect = r.endpoints().stream().filter(e -> e.protocol().equals(Endpoint.HTTP)).findFirst()
                    .orElse(null);
                LOG.info("Gnomon server {} says server {} owns the app; following to {}", target, r.serverId(),
                    redirect == null ? "(no http endpoint offered)" : redirect);
                close("redirected to " + r.serverId());
            } else if (accepted) {
                handler.onMessage(message);
            } else {
                LOG.warn("Ignoring {} from {} before the hello was answered", message.getClass().getSimpleName(), target);
            }
        }

        @Override
        public void onClosed(String reason) {
            ended.complete(reason);
        }
    }
}
