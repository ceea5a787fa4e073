package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.LogBatch;
import dev.gnomon.server.store.LogStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores log batches off the dispatch thread, one at a time so that each attempt's lines land
 * in order, and acknowledges the highest line held (decision 7). Lines a worker reports dropped
 * from its full spool are counted and logged here, so the loss is never silent.
 */
public final class LogIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogIngest.class);

    private final LogStore logs;
    private final LongAdder dropped = new LongAdder();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gnomon-logs");
        t.setDaemon(true);
        return t;
    });

    public LogIngest(LogStore logs) {
        this.logs = logs;
    }

    public void accept(WorkerSession session, LogBatch batch) {
        executor.execute(() -> {
            try {
                long known = batch.dropped() > 0 ? logs.dropped(batch.taskId(), batch.attempt()) : 0;
                long held = logs.append(batch.taskId(), batch.attempt(), batch.instanceId(), batch.lines(),
                    batch.dropped());
                if (batch.dropped() > known) {
                    dropped.add(batch.dropped() - known);
                    LOG.warn("worker {} dropped {} log lines of task {} attempt {} ({} in all) because its log spool"
                        + " was full or they were too old", session.workerId(), batch.dropped() - known,
                        batch.taskId(), batch.attempt(), batch.dropped());
                }
                session.send(new Ack(Ack.AckKind.LOG, batch.taskId(), batch.attempt(), held));
            } catch (RuntimeException e) {
                LOG.warn("cannot store {} log lines of task {}; the worker will send them again: {}",
                    batch.lines().size(), batch.taskId(), e.toString());
            }
        });
    }

    /** Log lines workers reported dropped from their spools, as seen by this server. */
    public long droppedLines() {
        return dropped.sum();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
