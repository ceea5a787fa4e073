package dev.gnomon.server.dispatch;

/**
 * A dispatch pass as the {@link DispatchLoop} runs it. A pass reads a bounded page of waiting
 * instances; when it may have left some behind that the workers have room for, it queues the
 * next pass at once, behind the steps queued meanwhile, instead of leaving them to the timer.
 */
public final class DispatchPass implements Runnable {

    private final Dispatcher dispatcher;
    private final DispatchLoop loop;

    public DispatchPass(Dispatcher dispatcher, DispatchLoop loop) {
        this.dispatcher = dispatcher;
        this.loop = loop;
    }

    @Override
    public void run() {
        if (dispatcher.pass()) {
            loop.coalesce(this);
        }
    }
}
