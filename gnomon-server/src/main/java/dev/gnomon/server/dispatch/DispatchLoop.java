package dev.gnomon.server.dispatch;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that changes instance state on this server, and task state but for the starts
 * and ends of map sub-tasks, which {@link SubTaskReports} writes beside it and whose meaning for
 * their instance it hands back here. Reports, dispatches, stops and sweeps queue here, so each
 * change sees the last one's result. A caller that finds
 * the loop idle may instead run one step on its own thread ({@link #runIfIdle}), never at the
 * same time as a step of the loop.
 */
public final class DispatchLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchLoop.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gnomon-dispatch");
        t.setDaemon(true);
        return t;
    });
    private final Map<Runnable, AtomicBoolean> queued = new ConcurrentHashMap<>();
    /** Held by every step while it runs, on the loop or on a caller's thread. */
    private final ReentrantLock turn = new ReentrantLock();
    /** Steps queued or running; a timed step counts only while it runs. */
    private final AtomicInteger busy = new AtomicInteger();

    /** Runs a step later on the loop; a failure is logged and the loop goes on. */
    public void execute(String what, Runnable step) {
        queue(() -> runLogged(what, step));
    }

    /**
     * Runs {@code step} now on the caller's thread, in the loop's place, when no step is queued or
     * running; returns false, having run nothing, otherwise. Steps that arrive meanwhile wait for it.
     * A failure is the caller's. It saves a step that is short and urgent the hand-over to the loop.
     */
    public boolean runIfIdle(Runnable step) {
        if (busy.get() != 0 || !turn.tryLock()) {
            return false;
        }
        try {
            step.run();
            return true;
        } finally {
            turn.unlock();
        }
    }

    /**
     * Queues one run of {@code step}, unless one is queued already. Pass the same instance each
     * time (a field, not a new method reference), since that is what is counted.
     */
    public void coalesce(Runnable step) {
        AtomicBoolean flag = queued.computeIfAbsent(step, s -> new AtomicBoolean());
        if (flag.compareAndSet(false, true)) {
            queue(() -> {
                flag.set(false);
                runLogged("coalesced step", step);
            });
        }
    }

    public <T> CompletableFuture<T> submit(Callable<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        queue(() -> {
            try {
                result.complete(step.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public void every(Duration period, String what, Runnable step) {
        executor.scheduleWithFixedDelay(() -> {
            busy.incrementAndGet();
            inTurn(() -> runLogged(what, step));
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a step on the loop once {@code delay} has passed, never before (a delay below zero is none). */
    public void later(Duration delay, String what, Runnable step) {
        executor.schedule(() -> {
            busy.incrementAndGet();
            inTurn(() -> runLogged(what, step));
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void queue(Runnable step) {
        busy.incrementAndGet();
        try {
            executor.execute(() -> inTurn(step));
        } catch (RuntimeException e) {
            busy.decrementAndGet();
            throw e;
        }
    }

    /** Runs a counted step in the loop's turn, then stops counting it. */
    private void inTurn(Runnable step) {
        turn.lock();
        try {
            step.run();
        } finally {
            turn.unlock();
            busy.decrementAndGet();
        }
    }

    private static void runLogged(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; going on: {}", what, e.toString(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
