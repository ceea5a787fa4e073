package dev.gnomon.worker.channel;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.worker.log.LogSpool;
import java.time.Clock;
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

    private void sendRound(Connection c) {
        for (LogBatch batch : spool.takeUnsent()) {
            if (!c.send(batch)) {
                return;
            }
        }
        for (MapTasks batch : maps.takeDue(clock.instant())) {
            if (!c.send(batch)) {
                return;
            }
        }
        for (TaskReport report : outbox.takeDue(clock.instant(), spool)) {
            if (!c.send(report)) {
                return;
            }
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
