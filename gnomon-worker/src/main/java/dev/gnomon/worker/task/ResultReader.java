package dev.gnomon.worker.task;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.ResultsRequest;
import dev.gnomon.protocol.TaskResult;
import dev.gnomon.worker.TaskCancelledException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a reduce step's sub-task results from the server a page at a time, as the processor
 * iterates, so that no more than one page is held. A request left unanswered is sent again (the
 * channel may have been replaced meanwhile); asking twice for a page is harmless.
 */
public final class ResultReader {

    /** Results per page. */
    public static final int PAGE = ResultsRequest.MAX_LIMIT;
    /** An unanswered request is sent again after this long. */
    public static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(10);
    /** How long one page may take in all before the reduce step gives up. */
    public static final Duration PAGE_WAIT = Duration.ofMinutes(2);
    private static final long POLL_MS = 200;

    private record Key(long taskId, int attempt, long afterId) {
    }

    private final Predicate<Message> send;
    private final Map<Key, CompletableFuture<ResultsPage>> pending = new ConcurrentHashMap<>();

    /** @param send hands a message to the live channel; false when there is none */
    public ResultReader(Predicate<Message> send) {
        this.send = send;
    }

    /** A page arrived from the server. */
    public void answered(ResultsPage page) {
        CompletableFuture<ResultsPage> waiting = pending.remove(new Key(page.taskId(), page.attempt(), page.afterId()));
        if (waiting != null) {
            waiting.complete(page);
        }
    }

    /** The task's sub-task results, read lazily; each iteration starts from the first page. */
    Iterable<TaskResult> results(DispatchTask task, BooleanSupplier cancelled) {
        return () -> new Pages(task, cancelled);
    }

    private final class Pages implements Iterator<TaskResult> {
        private final DispatchTask task;
        private final BooleanSupplier cancelled;
        private Iterator<TaskResult> page = List.<TaskResult>of().iterator();
        private long next = 0;

        Pages(DispatchTask task, BooleanSupplier cancelled) {
            this.task = task;
            this.cancelled = cancelled;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && next >= 0) {
                ResultsPage got = fetch(task, next, cancelled);
                page = got.results().iterator();
                next = got.next();
            }
            return page.hasNext();
        }

        @Override
        public TaskResult next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more sub-task results");
            }
            return page.next();
        }
    }

    private ResultsPage fetch(DispatchTask task, long afterId, BooleanSupplier cancelled) {
        Key key = new Key(task.taskId(), task.attempt(), afterId);
        CompletableFuture<ResultsPage> answer = pending.computeIfAbsent(key, k -> new CompletableFuture<>());
        ResultsRequest request = new ResultsRequest(task.taskId(), task.attempt(), afterId, PAGE);
        long deadline = System.nanoTime() + PAGE_WAIT.toNanos();
        long askedAt = Long.MIN_VALUE;
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new TaskCancelledException("task " + task.taskId() + " was stopped while it read results");
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    throw new IllegalStateException("the server did not send the results after task id " + afterId
                        + " within " + PAGE_WAIT.toSeconds() + " s; is it reachable?");
                }
                if (askedAt == Long.MIN_VALUE || now - askedAt >= ASK_AGAIN_AFTER.toNanos()) {
                    askedAt = send.test(request) ? now : now - ASK_AGAIN_AFTER.toNanos() + POLL_MS * 1_000_000;
                }
                try {
                    ResultsPage page = answer.get(POLL_MS, TimeUnit.MILLISECONDS);
                    if (page.refusal() != null) {
                        throw new IllegalStateException("the server refused the results of task " + task.taskId()
                            + ": " + page.refusal());
                    }
                    return page;
                } catch (TimeoutException e) {
                    // look at the stop flag, the deadline and whether to ask again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException("task " + task.taskId() + " was interrupted while it read results");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(key, answer);
        }
    }
}
