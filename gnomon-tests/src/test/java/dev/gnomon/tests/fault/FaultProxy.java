package dev.gnomon.tests.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 that sits between a client (a worker, a server) and a target port and
 * breaks the link between them in the ways real networks do, on command from the test, while
 * traffic flows. Every method is thread-safe and takes effect at once.
 *
 * <pre>{@code
 * try (FaultProxy link = FaultProxy.start(serverPort)) {
 *     worker.connectTo(link.port());
 *     link.latency(Duration.ofMillis(300), Duration.ofMillis(50)).cutEvery(Duration.ofSeconds(2));
 *     ...
 *     link.heal();
 * }
 * }</pre>
 *
 * <h2>Faults</h2>
 * <ul>
 *   <li>{@link #latency latency(base, jitter)}: each chunk read from one side is written to the
 *       other {@code base ± jitter} later (uniformly), in each direction, so a round trip costs at
 *       least {@code 2 × (base - jitter)}. Byte order is kept: a chunk is never due before the one
 *       read ahead of it. Chunks are pipelined (up to {@value DelayLine#MAX_QUEUED_BYTES} bytes in
 *       flight per direction and connection), so latency costs time, not throughput. A change
 *       applies to chunks read after it; chunks on their way keep their due time.</li>
 *   <li>{@link #bandwidth bandwidth(bytesPerSecond)}: a token bucket per direction, shared by every
 *       connection through the proxy as they would share one link; 0 means unlimited.</li>
 *   <li>{@link #cutAll()}: resets every current connection at once; both the client and the target
 *       see a TCP reset (or an end of stream). {@link #cutEvery cutEvery(period)} cuts on a
 *       schedule until {@code cutEvery(null)} or {@link #heal()}. {@link #cuts()} counts the cuts
 *       made, whether or not a connection was open at the time.</li>
 *   <li>{@link #blackhole blackhole(true)}: a dead link or a partition. Every open connection
 *       goes dead: bytes are still accepted (writes succeed) and silently dropped both ways, and
 *       nothing is closed (bytes the proxy had already handed to the operating system may
 *       still arrive, as packets already on the wire would). A connection accepted while the blackhole is on is dead from birth and
 *       the target never hears of it. <b>A dead connection stays dead</b> after
 *       {@code blackhole(false)} or {@link #heal()}: bytes were lost in the middle of its stream, so
 *       it cannot carry a coherent stream again; the endpoints must notice the silence by their
 *       own timeouts and reconnect, and new connections work. When an endpoint closes a dead
 *       connection only its side is closed, as the far side would not hear of it across a
 *       partition. Call {@link #cutAll()} after healing to reset dead connections instead.</li>
 *   <li>{@link #refuse refuse(true)}: a down host. A new connection is accepted and reset at once,
 *       so the client's connect succeeds and its first read sees a reset or an end of stream.
 *       Open connections are left alone.</li>
 * </ul>
 * {@link #heal()} lifts every fault at once. {@link #connections()} and
 * {@link #bytesForwarded(Direction)} are there for assertions.
 *
 * <h2>Resources</h2>
 * At most {@value #MAX_CONNECTIONS} connections at once (more are reset), four threads each from
 * one pool, chunks of up to {@value Pipe#CHUNK_SIZE} bytes, and at most
 * {@value DelayLine#MAX_QUEUED_BYTES} bytes queued per direction of a connection: when that is
 * full the proxy stops reading the sender, so TCP pushes back on it. Every thread is named
 * {@code fault-proxy-<port>-…}; {@link #close()} closes the listener and every connection and
 * waits until every thread the proxy started has ended. Delays use the machine's monotonic clock:
 * they are real delays on real sockets.
 */
public final class FaultProxy implements AutoCloseable {

    /** Connections open at once; one more is reset on arrival. */
    public static final int MAX_CONNECTIONS = 32;

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket listener;
    private final int targetPort;
    private final Faults faults = new Faults();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong linkIds = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private final ProxyThreads threads;
    private final ThreadPoolExecutor io;
    private final ScheduledExecutorService cutter;
    private final Link.Context context;
    private ScheduledFuture<?> cutSchedule;
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        String prefix = "fault-proxy-" + listener.getLocalPort();
        this.threads = new ProxyThreads(prefix);
        this.io = new ThreadPoolExecutor(0, 1 + 4 * MAX_CONNECTIONS + 16, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), threads.named("io"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, threads.named("cutter"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.cutter = scheduler;
        this.context = new Link.Context(targetPort, faults, io, prefix, links::remove);
    }

    /** Listens on a free port of 127.0.0.1 and forwards each connection to {@code targetPort} there. */
    public static FaultProxy start(int targetPort) throws IOException {
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("target port is " + targetPort + "; allowed 1-65535");
        }
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        FaultProxy proxy = new FaultProxy(listener, targetPort);
        proxy.io.execute(proxy::acceptLoop);
        return proxy;
    }

    /** The port to dial instead of the target's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The port every connection is forwarded to. */
    public int targetPort() {
        return targetPort;
    }

    /**
     * Delays each chunk by {@code base ± jitter} in each direction; {@code Duration.ZERO} twice for
     * none.
     *
     * @throws IllegalArgumentException if either is negative or jitter exceeds base
     */
    public FaultProxy latency(Duration base, Duration jitter) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(jitter, "jitter");
        if (base.isNegative() || jitter.isNegative() || jitter.compareTo(base) > 0) {
            throw new IllegalArgumentException("latency " + base + " ± " + jitter
                + "; both must be zero or more and jitter at most base, so that no delay is negative");
        }
        faults.latency(base.toNanos(), jitter.toNanos());
        return this;
    }

    /** Caps each direction at {@code bytesPerSecond}, shared by all connections; 0 for unlimited. */
    public FaultProxy bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth is " + bytesPerSecond + " bytes/s; must be 0 (unlimited) or more");
        }
        faults.bandwidth(bytesPerSecond);
        return this;
    }

    /** Resets every open connection now; returns how many there were. Counts as one cut. */
    public int cutAll() {
        cuts.incrementAndGet();
        int cut = 0;
        for (Link link : links) {
            link.reset();
            cut++;
        }
        log.debug("{} cut {} connection(s)", this, cut);
        return cut;
    }

    /** Calls {@link #cutAll()} every {@code period}, first one period from now; null stops it. */
    public synchronized FaultProxy cutEvery(Duration period) {
        if (period != null && (period.isZero() || period.isNegative())) {
            throw new IllegalArgumentException("cut period is " + period + "; must be positive, or null to stop cutting");
        }
        if (cutSchedule != null) {
            cutSchedule.cancel(false);
            cutSchedule = null;
        }
        if (period != null && !closed) {
            long nanos = period.toNanos();
            cutSchedule = cutter.scheduleAtFixedRate(this::cutAll, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /** How many cuts were made, by {@link #cutAll()} or by the schedule. */
    public long cuts() {
        return cuts.get();
    }

    /**
     * On: every open connection goes dead for good and new ones are accepted but dead from birth.
     * Off: new connections work again; dead ones stay dead (see the class comment).
     */
    public FaultProxy blackhole(boolean on) {
        faults.blackhole(on);
        if (on) {
            links.forEach(Link::markDead);
        }
        return this;
    }

    /** On: each new connection is accepted and reset at once. Off: they are forwarded again. */
    public FaultProxy refuse(boolean on) {
        faults.refuse(on);
        return this;
    }

    /** No latency, no bandwidth cap, no more cuts, no blackhole, no refusal. Dead connections stay dead. */
    public FaultProxy heal() {
        latency(Duration.ZERO, Duration.ZERO);
        bandwidth(0);
        cutEvery(null);
        blackhole(false);
        refuse(false);
        return this;
    }

    /** Connections open through the proxy now, dead ones included. */
    public int connections() {
        return links.size();
    }

    /** Bytes written to the far side in one direction, over the proxy's life. */
    public long bytesForwarded(Direction direction) {
        return faults.forwarded(Objects.requireNonNull(direction, "direction"));
    }

    /** Closes the listener and every connection, and waits until every thread of the proxy ended. */
    @Override
    public void close() {
        closed = true;
        Sockets.close(listener);
        synchronized (this) {
            cutter.shutdownNow();
        }
        links.forEach(Link::reset);
        io.shutdownNow();
        try {
            List<Thread> alive = threads.awaitAllEnded(CLOSE_TIMEOUT);
            if (!alive.isEmpty()) {
                log.warn("{} closed but threads still run after {}: {}", this, CLOSE_TIMEOUT, alive);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + port() + " -> " + targetPort + "]";
    }

    private void acceptLoop() {
        Thread thread = Thread.currentThread();
        String poolName = thread.getName();
        thread.setName("fault-proxy-" + port() + "-accept");
        try {
            acceptUntilClosed();
        } finally {
            thread.setName(poolName);
        }
    }

    private void acceptUntilClosed() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{} stopped accepting: {}", this, e.toString());
                }
                return;
            }
            accept(client);
        }
    }

    private void accept(Socket client) {
        if (closed || faults.refuse() || links.size() >= MAX_CONNECTIONS) {
            log.debug("{} reset a new connection (refusing: {}, open: {})", this, faults.refuse(), links.size());
            Sockets.reset(client);
            return;
        }
        try {
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            Sockets.reset(client);
            return;
        }
        Link link = new Link(linkIds.incrementAndGet(), client, context);
        links.add(link);
        // set before the flag is read here, or added before blackhole(true) walks the set: never missed
        if (faults.blackhole()) {
            link.markDead();
        }
        link.start();
    }
}
