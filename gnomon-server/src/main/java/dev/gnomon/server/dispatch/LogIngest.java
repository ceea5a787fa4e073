package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.LogBatch;
import dev.gnomon.server.store.LogStore;
import dev.gnomon.server.store.LogStore.Group;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores log batches off the dispatch thread and acknowledges the highest line held (decision 7).
 * One thread stores them in arrival order, so each attempt's lines land in order; whatever
 * queued up while it was storing goes into the next transaction together, so a busy server
 * commits less often, not later. Lines a worker reports dropped from its spool are counted and
 * logged here, so the loss is never silent.
 */
public final class LogIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogIngest.class);
    /** Most batches stored in one transaction. */
    static final int BATCHES_PER_COMMIT = 64;

    private record Received(WorkerSession session, LogBatch batch) {
    }

    private final LogStore logs;
    private final LongAdder dropped = new LongAdder();
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    public LogIngest(LogStore logs) {
        this.logs = logs;
        this.thread = new Thread(this::run, "gnomon-logs");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void accept(WorkerSession session, LogBatch batch) {
        queue.add(new Received(session, batch));
    }

    /** Log lines workers reported dropped from their spools, as seen by this server. */
    public long droppedLines() {
        return dropped.sum();
    }

    private void run() {
        List<Received> round = new ArrayList<>(BATCHES_PER_COMMIT);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                round.add(queue.take());
                queue.drainTo(round, BATCHES_PER_COMMIT - 1);
                store(round);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("cannot store {} log batches; their workers will send them again: {}", round.size(),
                    e.toString());
            } finally {
                round.clear();
            }
        }
    }

    private void store(List<Received> round) {
        List<LogStore.Batch> batches = new ArrayList<>(round.size());
        Map<Group, Received> droppedMost = new LinkedHashMap<>();
        for (Received r : round) {
            LogBatch b = r.batch();
            if (b.dropped() > 0) {
                droppedMost.merge(new Group(b.taskId(), b.attempt()), r,
                    (x, y) -> y.batch().dropped() > x.batch().dropped() ? y : x);
            }
            batches.add(new LogStore.Batch(b.taskId(), b.attempt(), b.instanceId(), b.lines(), b.dropped()));
        }
        droppedMost.values().forEach(this::countDropped);
        Map<Group, Long> held = logs.appendAll(batches);
        // one acknowledgement per attempt and channel: the highest line held covers every batch before it
        Map<WorkerSession, Map<Group, Long>> acks = new LinkedHashMap<>();
        for (Received r : round) {
            Group g = new Group(r.batch().taskId(), r.batch().attempt());
            acks.computeIfAbsent(r.session(), s -> new LinkedHashMap<>()).put(g, held.get(g));
        }
        acks.forEach((session, groups) -> groups.forEach((g, seq) ->
            session.send(new Ack(Ack.AckKind.LOG, g.taskId(), g.attempt(), seq))));
    }

    private void countDropped(Received r) {
        LogBatch b = r.batch();
        long known = logs.dropped(b.taskId(), b.attempt());
        if (b.dropped() > known) {
            dropped.add(b.dropped() - known);
            LOG.warn("worker {} dropped {} log lines of task {} attempt {} ({} in all) because its log spool was full"
                + " or they were too old", r.session().workerId(), b.dropped() - known, b.taskId(), b.attempt(),
                b.dropped());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
