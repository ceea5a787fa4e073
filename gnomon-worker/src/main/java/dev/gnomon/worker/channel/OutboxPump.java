package dev.gnomon.worker.channel;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.Message;
import dev.gnomon.worker.log.LogSpool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes logs, sub-task batches and reports to the channel. Each round sends
 * the unsent log lines first, then the sub-task batches and the reports that are due, so a final
 * report never overtakes its log.
 * It runs every 100 ms, or at once when woken.
 */
public final class OutboxPump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPump.class);
    private static final long PERIOD_MS = 100;

    private final LogSpool spool;
    private final ReportOutbox outbox;
    private final MapOutbox maps;
    private final Supplier<Connection> channel;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final Thread thread;
    private boolean woken;
    private volatile boolean stopped;

    public OutboxPump(LogSpool spool, ReportOutbox outbox, MapOutbox maps, Supplier<Connection> channel, Clock clock) {
        this.spool = spool;
        this.outbox = outbox;
        this.maps = maps;
        this.channel = channel;
        this.clock = clock;
        this.thread = new Thread(this, "gnomon-worker-outbox");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Something is waiting to be sent. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    public void stop() throws InterruptedException {
        stopped = true;
        wake();
        thread.join(2_000);
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                awaitTurn();
                Connection c = channel.get();
                if (c != null) {
                    sendRound(c);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Sending logs and reports failed; will try again", e);
            }
        }
    }

    /** Sends the round's logs, sub-task batches and reports, in that order, in as few frames as the server reads. */
    private void sendRound(Connection c) {
        List<Message> round = new ArrayList<>(spool.takeUnsent());
        round.addAll(maps.takeDue(clock.instant()));
        // a report whose log lines the server has not acknowledged yet waits for a later round
        round.addAll(outbox.takeDue(clock.instant(), spool));
        if (!round.isEmpty()) {
            c.sendAll(round);
        }
    }

    private void awaitTurn() throws InterruptedException {
        lock.lock();
        try {
            if (!woken) {
                signal.await(PERIOD_MS, TimeUnit.MILLISECONDS);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }
}
