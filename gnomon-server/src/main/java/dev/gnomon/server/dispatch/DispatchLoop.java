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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that changes instance and task state on this server. Reports, dispatches,
 * stops and sweeps queue here, so each change sees the last one's result.
 */
public final class DispatchLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchLoop.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gnomon-dispatch");
        t.setDaemon(true);
        return t;
    });
    private final Map<Runnable, AtomicBoolean> queued = new ConcurrentHashMap<>();

    /** Runs a step later on the loop; a failure is logged and the loop goes on. */
    public void execute(String what, Runnable step) {
        executor.execute(() -> runLogged(what, step));
    }

    /**
     * Queues one run of {@code step}, unless one is queued already. Pass the same instance each
     * time (a field, not a new method reference), since that is what is counted.
     */
    public void coalesce(Runnable step) {
        AtomicBoolean flag = queued.computeIfAbsent(step, s -> new AtomicBoolean());
        if (flag.compareAndSet(false, true)) {
            executor.execute(() -> {
                flag.set(false);
                runLogged("coalesced step", step);
            });
        }
    }

    public <T> CompletableFuture<T> submit(Callable<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(step.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public void every(Duration period, String what, Runnable step) {
        executor.scheduleWithFixedDelay(() -> runLogged(what, step), period.toMillis(), period.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    public void later(Duration delay, String what, Runnable step) {
        executor.schedule(() -> runLogged(what, step), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
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
