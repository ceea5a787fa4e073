package dev.gnomon.tests.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection through the proxy: the client's socket, the socket the proxy dialled to the
 * target, and a {@link Pipe} each way, on four threads of the proxy's pool. A dead
 * (black-holed) link drops every byte and never comes back to life; when one of its endpoints
 * closes, only that side is closed, since across a partition the other side would not hear of it.
 */
final class Link {

    static final int DIAL_TIMEOUT_MILLIS = 2_000;

    /** What every link of one proxy shares. */
    record Context(int targetPort, Faults faults, ExecutorService io, String threadPrefix, Consumer<Link> onEnd) {
    }

    private final long id;
    private final Socket client;
    private final Context context;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger();
    private volatile Socket target;
    private volatile boolean dead;

    Link(long id, Socket client, Context context) {
        this.id = id;
        this.client = client;
        this.context = context;
    }

    /** Dials the target (unless the link is dead already) and starts both pipes. */
    void start() {
        run("dial", this::connect);
    }

    private void connect() {
        if (dead) {
            // accepted during a blackhole: the target never hears of this connection
            run("drop", new Pipe(this, Direction.UPSTREAM, client, null, context.faults())::read);
            return;
        }
        Socket dialled = new Socket();
        try {
            dialled.setTcpNoDelay(true);
            dialled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), context.targetPort()),
                DIAL_TIMEOUT_MILLIS);
        } catch (IOException e) {
            Sockets.close(dialled);
            reset();
            return;
        }
        target = dialled;
        if (closed.get()) {
            Sockets.reset(dialled);
            return;
        }
        Pipe up = new Pipe(this, Direction.UPSTREAM, client, dialled, context.faults());
        Pipe down = new Pipe(this, Direction.DOWNSTREAM, dialled, client, context.faults());
        pipes.add(up);
        pipes.add(down);
        if (dead) {
            pipes.forEach(Pipe::stop);
        }
        for (Pipe pipe : List.of(up, down)) {
            String name = pipe.direction().name().toLowerCase();
            run(name + "-read", pipe::read);
            run(name + "-write", pipe::write);
        }
    }

    boolean dead() {
        return dead;
    }

    /** From now on every byte either way is dropped, for the rest of this link's life. */
    void markDead() {
        dead = true;
        pipes.forEach(Pipe::stop);
    }

    /** An endpoint of a dead link closed its side: close ours to it, keep the other side silent. */
    void endpointGone(Socket socket) {
        Sockets.close(socket);
    }

    /** Reading or writing a socket failed: a live link resets both sides. */
    void failed(Socket socket) {
        if (dead) {
            Sockets.close(socket);
        } else {
            reset();
        }
    }

    /** Resets both sides at once, as a cut cable or a dropped NAT entry would. */
    void reset() {
        if (closed.compareAndSet(false, true)) {
            pipes.forEach(Pipe::stop);
            Sockets.reset(client);
            Sockets.reset(target);
        }
    }

    private void run(String role, Runnable body) {
        running.incrementAndGet();
        try {
            context.io().execute(() -> {
                Thread thread = Thread.currentThread();
                String poolName = thread.getName();
                thread.setName(context.threadPrefix() + "-link" + id + "-" + role);
                try {
                    body.run();
                } finally {
                    thread.setName(poolName);
                    taskEnded();
                }
            });
        } catch (RejectedExecutionException e) {
            reset();
            taskEnded();
        }
    }

    private void taskEnded() {
        if (running.decrementAndGet() == 0) {
            closed.set(true);
            pipes.forEach(Pipe::stop);
            Sockets.close(client);
            Sockets.close(target);
            context.onEnd().accept(this);
        }
    }
}
