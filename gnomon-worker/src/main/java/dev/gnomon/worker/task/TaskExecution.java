package dev.gnomon.worker.task;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.worker.Processor;
import dev.gnomon.worker.Result;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One attempt of one task on a pool thread: runs the processor and reports how it ended. */
final class TaskExecution implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

    private final DispatchTask task;
    private final Processor processor;
    private final RunningTaskContext ctx;
    private final TaskEvents events;
    private final AtomicReference<StopRequest> stop = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();
    private Thread thread;
    private boolean running;
    private volatile TaskReport latest;

    TaskExecution(DispatchTask task, Processor processor, RunningTaskContext ctx, TaskEvents events) {
        this.task = task;
        this.processor = processor;
        this.ctx = ctx;
        this.events = events;
    }

    DispatchTask task() {
        return task;
    }

    TaskReport latest() {
        return latest;
    }

    /** Asks the processor to stop: its context turns cancelled and its thread is interrupted. */
    void requestStop(StopRequest request) {
        if (!stop.compareAndSet(null, request)) {
            return;
        }
        ctx.cancel(request);
        synchronized (this) {
            // only while this task owns the thread: a pool thread moves on to other tasks
            if (running) {
                thread.interrupt();
            }
        }
    }

    boolean stopRequested() {
        return stop.get() != null;
    }

    @Override
    public void run() {
        synchronized (this) {
            thread = Thread.currentThread();
            running = true;
        }
        try {
            latest = events.started(task);
            TaskReport end = finish(execute());
            if (end != null) {
                latest = end;
            }
        } finally {
            synchronized (this) {
                running = false;
                Thread.interrupted();
            }
            events.released(this);
        }
    }

    /** Reports a terminal phase once; later calls do nothing and return null. */
    TaskReport finish(Outcome outcome) {
        if (!reported.compareAndSet(false, true)) {
            return null;
        }
        TaskReport report = events.finished(task, outcome.phase(), outcome.message());
        latest = report;
        return report;
    }

    private Outcome execute() {
        if (stop.get() != null) {
            return stopped();
        }
        Result result;
        try {
            result = switch (task.kind()) {
                case POST_BROADCAST -> processor.postBroadcast(ctx, task.results());
                case REDUCE -> processor.reduce(ctx);
                case PROCESS -> processor.process(ctx);
            };
        } catch (Throwable t) {
            if (stop.get() != null) {
                return stopped();
            }
            String message = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            LOG.warn("Task {} attempt {} ({}) failed", task.taskId(), task.attempt(), task.processor(), t);
            ctx.logger().error("processor '{}' threw {}", task.processor(), message);
            return new Outcome(TaskPhase.FAILED, message);
        }
        if (stop.get() != null) {
            return stopped();
        }
        if (result == null) {
            return new Outcome(TaskPhase.FAILED, "processor '" + task.processor()
                + "' returned null; return Result.success() or Result.failure(message)");
        }
        return new Outcome(result.succeeded() ? TaskPhase.SUCCEEDED : TaskPhase.FAILED, result.message());
    }

    private Outcome stopped() {
        StopRequest s = stop.get();
        return new Outcome(s.phase(), s.message());
    }

    /** How an attempt ended. */
    record Outcome(TaskPhase phase, String message) {
    }
}
