package dev.gnomon.worker.channel;

import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.TaskRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sub-task batches the server has not answered yet, in the order they were made. A batch goes
 * out again after a reconnect, or when a live channel left it unanswered for a while; the server
 * stores each (instance, task key, seq) once, whichever attempt of the task sends it.
 */
public final class MapOutbox {

    /** A batch sent on a live channel and not answered within this time is sent again. */
    public static final Duration RESEND_AFTER = Duration.ofSeconds(10);

    private record Key(TaskRef ref, long seq) {
    }

    private static final class Entry {
        final MapTasks batch;
        final CompletableFuture<MapAccepted> answer = new CompletableFuture<>();
        Instant sentAt;

        Entry(MapTasks batch) {
            this.batch = batch;
        }
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    /** Holds a batch until the server answers; the future completes with the answer. */
    public synchronized CompletableFuture<MapAccepted> add(MapTasks batch) {
        return entries.computeIfAbsent(new Key(batch.ref(), batch.seq()), k -> new Entry(batch)).answer;
    }

    /** The server's answer: the batch is stored, or refused for good. */
    public void answered(MapAccepted answer) {
        Entry e;
        synchronized (this) {
            e = entries.remove(new Key(answer.ref(), answer.seq()));
        }
        if (e != null) {
            e.answer.complete(answer);
        }
    }

    /** The task gave up waiting (stopped, or no answer in time): the batch is no longer sent. */
    public synchronized void forget(MapTasks batch) {
        entries.remove(new Key(batch.ref(), batch.seq()));
    }

    /** A new channel: everything not answered goes out again. */
    public synchronized void rewind() {
        entries.values().forEach(e -> e.sentAt = null);
    }

    /** Batches to send now, in order; they count as sent at {@code now}. */
    public synchronized List<MapTasks> takeDue(Instant now) {
        List<MapTasks> due = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.sentAt == null || !e.sentAt.plus(RESEND_AFTER).isAfter(now)) {
                e.sentAt = now;
                due.add(e.batch);
            }
        }
        return due;
    }

    public synchronized int size() {
        return entries.size();
    }
}
