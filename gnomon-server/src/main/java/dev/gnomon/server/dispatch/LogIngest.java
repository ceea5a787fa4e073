package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.LogBatch;
import dev.gnomon.server.store.LogStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores log batches off the dispatch thread, one at a time so that each attempt's lines land
 * in order, and acknowledges the highest line held (decision 7).
 */
public final class LogIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogIngest.class);

    private final LogStore logs;
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
                long held = logs.append(batch.taskId(), batch.attempt(), batch.instanceId(), batch.lines());
                session.send(new Ack(Ack.AckKind.LOG, batch.taskId(), batch.attempt(), held));
            } catch (RuntimeException e) {
                LOG.warn("cannot store {} log lines of task {}; the worker will send them again: {}",
                    batch.lines().size(), batch.taskId(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
