package dev.gnomon.worker.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.worker.TaskCancelledException;
import dev.gnomon.worker.channel.MapOutbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Sends a running task's sub-tasks to the server in batches, one at a time, each held in the
 * {@link MapOutbox} until the server stored it. Returns once every batch is stored.
 */
public final class SubTaskEmitter {

    /** Sub-tasks per batch. */
    public static final int BATCH_ITEMS = 1_000;
    /** Characters of items per batch (a batch holds at least one item). */
    public static final int BATCH_CHARS = 1 << 20;
    /** The longest item. */
    public static final int MAX_ITEM_CHARS = 256 * 1024;
    /** How long a batch may go unanswered (the server may be failing over) before the task gives up. */
    public static final Duration ANSWER_WAIT = Duration.ofMinutes(2);
    private static final long POLL_MS = 200;

    private final MapOutbox outbox;
    private final Runnable wake;
    private final Duration answerWait;

    public SubTaskEmitter(MapOutbox outbox, Runnable wake) {
        this(outbox, wake, ANSWER_WAIT);
    }

    SubTaskEmitter(MapOutbox outbox, Runnable wake, Duration answerWait) {
        this.outbox = outbox;
        this.wake = wake;
        this.answerWait = answerWait;
    }

    /** Where one attempt is in its batches and items. */
    static final class Cursor {
        private long seq;
        private long index;
    }

    /**
     * Emits the items as sub-tasks of group {@code name}.
     *
     * @throws IllegalArgumentException for a bad name or item
     * @throws IllegalStateException when the server refused a batch or did not answer in time
     * @throws TaskCancelledException when the task was stopped while it waited
     */
    void emit(DispatchTask task, Cursor cursor, List<?> items, String name, BooleanSupplier cancelled) {
        String bad = MapTasks.badName(name);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        if (items == null) {
            throw new IllegalArgumentException("items is null; pass a list of strings or of objects to write as JSON");
        }
        List<String> batch = new ArrayList<>();
        long chars = 0;
        for (Object item : items) {
            String text = text(item);
            if (!batch.isEmpty() && (batch.size() >= BATCH_ITEMS || chars + text.length() > BATCH_CHARS)) {
                send(task, cursor, name, batch, cancelled);
                batch = new ArrayList<>();
                chars = 0;
            }
            batch.add(text);
            chars += text.length();
        }
        if (!batch.isEmpty()) {
            send(task, cursor, name, batch, cancelled);
        }
    }

    private void send(DispatchTask task, Cursor cursor, String name, List<String> items, BooleanSupplier cancelled) {
        MapTasks batch = new MapTasks(task.taskId(), task.attempt(), cursor.seq + 1, name, cursor.index, items);
        // the next batch never reuses this one's number or indexes, even when this one was given up on:
        // the server may hold it, and would take a batch sent under its number for a resend
        cursor.seq++;
        cursor.index += items.size();
        CompletableFuture<MapAccepted> answer = outbox.add(batch);
        wake.run();
        MapAccepted got = await(batch, answer, cancelled);
        if (!got.accepted()) {
            throw new IllegalStateException("the server refused sub-task batch " + batch.seq() + " of task "
                + task.taskId() + ": " + got.refusal());
        }
    }

    private MapAccepted await(MapTasks batch, CompletableFuture<MapAccepted> answer, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + answerWait.toNanos();
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    outbox.forget(batch);
                    throw new TaskCancelledException("task " + batch.taskId() + " was stopped while it emitted"
                        + " sub-tasks");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    outbox.forget(batch);
                    throw new IllegalStateException("the server did not store sub-task batch " + batch.seq()
                        + " of task " + batch.taskId() + " within " + answerWait.toSeconds() + " s; is it reachable?");
                }
                try {
                    return answer.get(Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look at the stop flag and the deadline again
                }
            }
        } catch (InterruptedException e) {
            outbox.forget(batch);
            Thread.currentThread().interrupt();
            throw new TaskCancelledException("task " + batch.taskId() + " was interrupted while it emitted sub-tasks");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String text(Object item) {
        if (item == null) {
            throw new IllegalArgumentException("a sub-task item is null; every item needs a value");
        }
        String text;
        if (item instanceof String s) {
            text = s;
        } else {
            try {
                text = Json.mapper().writeValueAsString(item);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("a sub-task item of " + item.getClass().getName()
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }
        if (text.length() > MAX_ITEM_CHARS) {
            throw new IllegalArgumentException("a sub-task item has " + text.length() + " characters; at most "
                + MAX_ITEM_CHARS);
        }
        return text;
    }
}
