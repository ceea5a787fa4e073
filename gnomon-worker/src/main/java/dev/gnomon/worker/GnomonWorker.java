package dev.gnomon.worker;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.worker.channel.Backoff;
import dev.gnomon.worker.channel.ChannelClient;
import dev.gnomon.worker.channel.HeartbeatSampler;
import dev.gnomon.worker.channel.MapOutbox;
import dev.gnomon.worker.channel.OutboxPump;
import dev.gnomon.worker.channel.ReportOutbox;
import dev.gnomon.worker.log.LogSpool;
import dev.gnomon.worker.log.SpoolSettings;
import dev.gnomon.worker.shell.ShellProcessor;
import dev.gnomon.worker.task.ResultReader;
import dev.gnomon.worker.task.SubTaskEmitter;
import dev.gnomon.worker.task.TaskRunner;
import dev.gnomon.worker.task.TaskSettings;
import dev.gnomon.worker.transport.HttpTransport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Gnomon worker: keeps a channel to the server that owns its app, runs the tasks dispatched
 * to it, and ships their reports and logs. Embed it in an application, or run it standalone
 * through {@link dev.gnomon.worker.agent.WorkerAgent}.
 *
 * <pre>{@code
 * GnomonWorker worker = GnomonWorker.builder()
 *     .servers("http://127.0.0.1:7700").app("demo").secret("s3cr3t")
 *     .processor("hello", ctx -> Result.success("done"))
 *     .build();
 * worker.start();
 * }</pre>
 */
public final class GnomonWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GnomonWorker.class);
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(5);

    private final String workerId;
    private final LogSpool spool;
    private final ReportOutbox outbox = new ReportOutbox();
    private final MapOutbox maps = new MapOutbox();
    private final TaskRunner runner;
    private final OutboxPump pump;
    private final ChannelClient channel;
    private final ExecutorService pool;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    GnomonWorker(GnomonWorkerBuilder b) {
        String host = WorkerThreads.hostName();
        this.workerId = b.workerId != null ? b.workerId : host + "-" + Long.toHexString(b.random.nextLong() & 0xffffffL);
        Map<String, Processor> processors = new LinkedHashMap<>(b.processors);
        if (b.enableShell) {
            processors.put(TaskSettings.SHELL, new ShellProcessor());
        }
        this.pool = WorkerThreads.taskPool(b.maxTasks);
        this.timer = WorkerThreads.timer();
        OutboxPump[] pumpRef = new OutboxPump[1];
        ChannelClient[] channelRef = new ChannelClient[1];
        ResultReader results = new ResultReader(m -> {
            Connection live = channelRef[0].live();
            return live != null && live.send(m);
        });
        this.spool = new LogSpool(new SpoolSettings(b.logSpoolDir, b.logSpoolBytes, b.logSpoolMaxAge), b.clock,
            () -> pumpRef[0].wake());
        this.runner = new TaskRunner(new TaskSettings(workerId, b.maxTasks, b.enableShell, processors), b.clock, spool,
            outbox, () -> pumpRef[0].wake(), pool, timer, new SubTaskEmitter(maps, () -> pumpRef[0].wake()),
            results);
        this.pump = new OutboxPump(spool, outbox, maps, () -> channelRef[0].live(), b.clock);
        pumpRef[0] = pump;
        WorkerIdentity identity = new WorkerIdentity(b.app, b.secret, workerId, host, WorkerThreads.version(), b.tags);
        WorkerChannelHandler handler = new WorkerChannelHandler(identity, processors.keySet(), runner, spool, outbox,
            maps, results, pump, new HeartbeatSampler(b.clock), timer);
        this.channel = new ChannelClient(b.servers, b.transport != null ? b.transport : new HttpTransport(),
            new Backoff(b.reconnectBase, b.reconnectCap, b.random), b.random, handler);
        channelRef[0] = channel;
    }

    /** Starts configuring a worker. */
    public static GnomonWorkerBuilder builder() {
        return new GnomonWorkerBuilder();
    }

    /**
     * Starts connecting in the background and returns at once. An unreachable server is not an
     * error: the worker keeps trying and says so in its log. Calling it again does nothing.
     */
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("worker " + workerId + " is closed; build a new one");
        }
        if (started.compareAndSet(false, true)) {
            LOG.info("Starting Gnomon worker {}", workerId);
            pump.start();
            channel.start();
        }
    }

    /** Waits until a server has accepted the worker; false when the time ran out first. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return channel.awaitConnected(timeout);
    }

    /** Whether a server has accepted the worker on a channel that is open now. */
    public boolean isConnected() {
        return channel.isConnected();
    }

    /** This worker's id, as servers see it. */
    public String id() {
        return workerId;
    }

    /**
     * Log lines this worker dropped because its spool was full, the lines were older than the
     * spool's age limit, or the spool could not be written. Each drop also leaves a WARN line in
     * the task's log, and the server counts them in {@code gnomon_log_lines_dropped_total}.
     */
    public long droppedLogLines() {
        return spool.droppedLines();
    }

    /** Log lines written by tasks and not acknowledged by the server yet. */
    public long pendingLogLines() {
        return spool.size();
    }

    /** Task attempts running now. */
    public List<TaskRef> runningTasks() {
        return runner.running();
    }

    /**
     * Task reports (starts, results) kept until a server acknowledges them; they are sent again
     * after a reconnect. Zero once every report was acknowledged, refused ones included.
     */
    public int pendingReports() {
        return outbox.size();
    }

    /**
     * Stops accepting tasks, stops the running ones (they report STOPPED), sends what it can of
     * their logs and reports for up to 5 seconds, and closes the channel.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_BUDGET.toNanos();
        try {
            runner.stopAll("worker " + workerId + " is shutting down");
            awaitUntil(deadline, () -> runner.busySlots() == 0);
            pump.wake();
            awaitUntil(deadline, () -> !channel.isConnected() || (outbox.size() == 0 && spool.size() == 0));
            channel.close();
            pump.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
            timer.shutdownNow();
            spool.close();
            LOG.info("Gnomon worker {} closed", workerId);
        }
    }

    private static void awaitUntil(long deadlineNanos, java.util.function.BooleanSupplier done)
        throws InterruptedException {
        while (!done.getAsBoolean() && System.nanoTime() < deadlineNanos) {
            Thread.sleep(20);
        }
    }
}
