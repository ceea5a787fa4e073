package dev.gnomon.worker.task;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.worker.Processor;
import dev.gnomon.worker.channel.ReportOutbox;
import dev.gnomon.worker.log.LogSpool;
import dev.gnomon.worker.log.SpoolTaskLogger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs dispatched tasks on a bounded pool, at most one run per (task, attempt), and turns what
 * happens into reports in the outbox. Refuses what it cannot run, with a message saying why.
 */
public final class TaskRunner implements TaskEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    /** A stopped processor that ignores its interrupt this long is reported stopped anyway. */
    private static final long STOP_GRACE_MS = 10_000;

    private final TaskSettings settings;
    private final Clock clock;
    private final LogSpool spool;
    private final ReportOutbox outbox;
    private final Runnable wake;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final SubTaskEmitter emitter;
    private final ResultReader reader;
    private final Map<TaskRef, TaskExecution> live = new ConcurrentHashMap<>();
    private final Map<TaskRef, ScheduledFuture<?>> timeouts = new ConcurrentHashMap<>();
    private final FinishedTasks finished = new FinishedTasks(10_000);
    private int busySlots;
    private volatile String refuseAll;

    public TaskRunner(TaskSettings settings, Clock clock, LogSpool spool, ReportOutbox outbox, Runnable wake,
                      ExecutorService pool, ScheduledExecutorService timer, SubTaskEmitter emitter, ResultReader reader) {
        this.settings = settings;
        this.clock = clock;
        this.spool = spool;
        this.outbox = outbox;
        this.wake = wake;
        this.pool = pool;
        this.timer = timer;
        this.emitter = emitter;
        this.reader = reader;
    }

    /** Runs the task, or refuses it, or re-sends what this worker already said about it. */
    public void dispatch(DispatchTask task) {
        TaskRef ref = task.ref();
        TaskExecution execution;
        synchronized (this) {
            TaskReport known = knownReport(ref);
            if (known != null) {
                LOG.info("Task {} attempt {} was dispatched again; re-sending its {} report", ref.taskId(),
                    ref.attempt(), known.phase());
                send(known, 0);
                return;
            }
            String refusal = refusal(task);
            if (refusal != null) {
                LOG.warn("Refusing task {} attempt {}: {}", ref.taskId(), ref.attempt(), refusal);
                TaskReport report = report(task, 1, TaskPhase.REFUSED, refusal);
                finished.put(ref, report);
                send(report, 0);
                return;
            }
            busySlots++;
            spool.open(ref, task.instanceId());
            RunningTaskContext ctx = new RunningTaskContext(task, new SpoolTaskLogger(spool, ref), emitter, reader);
            execution = new TaskExecution(task, settings.processor(task.processor()), ctx, this);
            live.put(ref, execution);
        }
        if (task.timeoutMs() > 0) {
            timeouts.put(ref, timer.schedule(() -> stop(execution, new StopRequest(TaskPhase.TIMED_OUT,
                "timed out after " + task.timeoutMs() + " ms")), task.timeoutMs(), TimeUnit.MILLISECONDS));
        }
        pool.execute(execution);
    }

    /** Stops a running attempt; unknown or finished attempts are left alone. */
    public void stop(StopTask request) {
        TaskExecution execution = live.get(request.ref());
        if (execution == null) {
            LOG.info("Stop for task {} attempt {}: not running here", request.taskId(), request.attempt());
            return;
        }
        boolean timeout = request.reason() == StopReason.TIMEOUT;
        stop(execution, new StopRequest(timeout ? TaskPhase.TIMED_OUT : TaskPhase.STOPPED,
            timeout ? "stopped by the server: timeout" : "stopped by the server: " + request.reason()));
    }

    /** Refuses new dispatches from now on and stops every running task with this message. */
    public void stopAll(String message) {
        refuseAll = message;
        for (TaskExecution execution : List.copyOf(live.values())) {
            stop(execution, new StopRequest(TaskPhase.STOPPED, message));
        }
    }

    public List<TaskRef> running() {
        return new ArrayList<>(live.keySet());
    }

    public synchronized int busySlots() {
        return busySlots;
    }

    public int maxTasks() {
        return settings.maxTasks();
    }

    @Override
    public TaskReport started(DispatchTask task) {
        TaskReport report = report(task, 1, TaskPhase.STARTED, null);
        send(report, 0);
        return report;
    }

    @Override
    public TaskReport finished(DispatchTask task, TaskPhase phase, String message) {
        TaskRef ref = task.ref();
        ScheduledFuture<?> timeout = timeouts.remove(ref);
        if (timeout != null) {
            timeout.cancel(false);
        }
        TaskReport report = report(task, 2, phase, message);
        // the report waits until every log line written so far has been handed to the channel
        long barrier = spool.lastSeq(ref);
        spool.close(ref);
        synchronized (this) {
            live.remove(ref);
            finished.put(ref, report);
        }
        send(report, barrier);
        LOG.debug("Task {} attempt {} ended {}: {}", ref.taskId(), ref.attempt(), phase, message);
        return report;
    }

    @Override
    public void released(TaskExecution execution) {
        synchronized (this) {
            busySlots--;
        }
        execution.finish(new TaskExecution.Outcome(TaskPhase.FAILED, "processor ended without a report"));
    }

    private void stop(TaskExecution execution, StopRequest request) {
        execution.requestStop(request);
        timer.schedule(() -> {
            if (execution.finish(new TaskExecution.Outcome(request.phase(), request.message()
                + "; the processor did not return within " + STOP_GRACE_MS + " ms of being interrupted")) != null) {
                LOG.warn("Task {} attempt {} ignores its stop request; its thread keeps a slot until it returns",
                    execution.task().taskId(), execution.task().attempt());
            }
        }, STOP_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private TaskReport knownReport(TaskRef ref) {
        TaskExecution running = live.get(ref);
        if (running != null) {
            return running.latest();
        }
        return finished.get(ref);
    }

    private String refusal(DispatchTask task) {
        if (refuseAll != null) {
            return refuseAll;
        }
        String problem = settings.unknownProcessor(task.processor());
        if (problem != null) {
            return problem;
        }
        return busySlots >= settings.maxTasks()
            ? "worker full: " + settings.workerId() + " already runs " + busySlots + " of " + settings.maxTasks() + " tasks"
            : null;
    }

    private TaskReport report(DispatchTask task, long seq, TaskPhase phase, String message) {
        return new TaskReport(task.taskId(), task.attempt(), seq, phase, message, clock.instant());
    }

    private void send(TaskReport report, long barrier) {
        if (report != null) {
            outbox.add(report, barrier);
            wake.run();
        }
    }
}
