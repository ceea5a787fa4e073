package dev.gnomon.server.dispatch;

/**
 * A dispatch pass as the {@link DispatchLoop} runs it. A pass reads a bounded page of waiting
 * instances; when it may have left some behind that the workers have room for, it queues the
 * next pass at once, behind the steps queued meanwhile, instead of leaving them to the timer. The
 * passes read waiting tasks from where the last pass left them; the timer's are full passes,
 * which also read the delayed ones now due below that (see {@link Dispatcher#pass(boolean)}).
 */
public final class DispatchPass implements Runnable {

    private final Dispatcher dispatcher;
    private final DispatchLoop loop;
    private final boolean full;

    /** A pass for events: a worker's free slot, a new instance, a report. */
    public DispatchPass(Dispatcher dispatcher, DispatchLoop loop) {
        this(dispatcher, loop, false);
    }

    public DispatchPass(Dispatcher dispatcher, DispatchLoop loop, boolean full) {
        this.dispatcher = dispatcher;
        this.loop = loop;
        this.full = full;
    }

    @Override
    public void run() {
        if (dispatcher.pass(full)) {
            loop.coalesce(this);
        }
    }
}
