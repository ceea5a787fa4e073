package dev.gnomon.worker.log;

import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded in-memory spool of task log lines, numbered per attempt from 1 and held until the
 * server acknowledges them. When it is full the oldest lines of the attempt holding the most
 * are dropped, and a WARN line in that attempt says so: the log may get a gap, never silently.
 */
public final class LogSpool {

    /** Lines per {@link LogBatch}. */
    public static final int BATCH_LINES = 1_000;
    /**
     * Characters of text per {@link LogBatch} (a batch holds at least one line). Keeps each
     * WebSocket message well under 1 MiB; the server must accept text messages of that size.
     */
    public static final int BATCH_CHARS = 256 * 1024;

    private final int capacity;
    private final Clock clock;
    private final Runnable batchReady;
    private final Map<TaskRef, AttemptLog> attempts = new LinkedHashMap<>();
    private int total;

    /**
     * @param capacity   lines held at most, over all attempts
     * @param batchReady called when an attempt has a full batch waiting, so the sender need not wait
     */
    public LogSpool(int capacity, Clock clock, Runnable batchReady) {
        if (capacity < 10) {
            throw new IllegalArgumentException("log spool capacity is " + capacity + "; allowed 10 or more");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.batchReady = batchReady;
    }

    /** Starts the log of an attempt; lines may be appended from now on. */
    public synchronized void open(TaskRef ref, long instanceId) {
        attempts.computeIfAbsent(ref, r -> new AttemptLog(instanceId));
    }

    /** Appends a line and returns its sequence number, or 0 when the attempt's log is closed or unknown. */
    public long append(TaskRef ref, LogLevel level, String text) {
        boolean fullBatch;
        long seq;
        synchronized (this) {
            AttemptLog log = attempts.get(ref);
            if (log == null || log.closed) {
                return 0;
            }
            if (total + 1 > capacity) {
                makeRoom();
            }
            seq = add(log, level, text);
            fullBatch = log.lastSeq() - log.sentThrough >= BATCH_LINES;
        }
        if (fullBatch) {
            batchReady.run();
        }
        return seq;
    }

    /** Sequence number of the attempt's last line so far (0 when none). */
    public synchronized long lastSeq(TaskRef ref) {
        AttemptLog log = attempts.get(ref);
        return log == null ? 0 : log.lastSeq();
    }

    /** No more lines for this attempt; it is forgotten once the server holds them all. */
    public synchronized void close(TaskRef ref) {
        AttemptLog log = attempts.get(ref);
        if (log != null) {
            log.closed = true;
            forgetIfDone(ref, log);
        }
    }

    /** The server holds every line of the attempt up to {@code seq}. */
    public synchronized void ack(TaskRef ref, long seq) {
        AttemptLog log = attempts.get(ref);
        if (log == null) {
            return;
        }
        while (!log.lines.isEmpty() && log.lines.peekFirst().seq() <= seq) {
            log.lines.removeFirst();
            total--;
        }
        log.sentThrough = Math.max(log.sentThrough, Math.min(seq, log.lastSeq()));
        forgetIfDone(ref, log);
    }

    /** A new channel: everything not acknowledged goes out again. */
    public synchronized void rewind() {
        attempts.values().forEach(AttemptLog::rewind);
    }

    /** True when every line of the attempt up to {@code seq} was handed to a channel. */
    public synchronized boolean sentThrough(TaskRef ref, long seq) {
        AttemptLog log = attempts.get(ref);
        return log == null || log.sentThrough >= seq;
    }

    /** Takes the unsent lines as batches, in order, and counts them as handed over. */
    public synchronized List<LogBatch> takeUnsent() {
        List<LogBatch> batches = new ArrayList<>();
        for (Map.Entry<TaskRef, AttemptLog> entry : attempts.entrySet()) {
            AttemptLog log = entry.getValue();
            if (log.sentThrough >= log.lastSeq()) {
                continue;
            }
            List<LogLine> chunk = new ArrayList<>();
            int chars = 0;
            for (LogLine line : log.lines) {
                if (line.seq() <= log.sentThrough) {
                    continue;
                }
                int size = line.text().length() + 64;
                if (!chunk.isEmpty() && (chunk.size() == BATCH_LINES || chars + size > BATCH_CHARS)) {
                    batches.add(batch(entry.getKey(), log, chunk));
                    chunk = new ArrayList<>();
                    chars = 0;
                }
                chunk.add(line);
                chars += size;
            }
            if (!chunk.isEmpty()) {
                batches.add(batch(entry.getKey(), log, chunk));
            }
            log.sentThrough = log.lastSeq();
        }
        return batches;
    }

    /** Lines held now, over all attempts. */
    public synchronized int size() {
        return total;
    }

    private LogBatch batch(TaskRef ref, AttemptLog log, List<LogLine> lines) {
        return new LogBatch(ref.taskId(), ref.attempt(), log.instanceId, lines);
    }

    private long add(AttemptLog log, LogLevel level, String text) {
        long seq = log.nextSeq++;
        log.lines.addLast(new LogLine(seq, clock.instant(), level, text));
        total++;
        return seq;
    }

    /** Drops a chunk of the biggest attempt's oldest lines, leaving room for the WARN and one more line. */
    private void makeRoom() {
        AttemptLog biggest = attempts.values().stream()
            .max(Comparator.comparingInt(l -> l.lines.size()))
            .orElseThrow();
        int count = Math.min(biggest.lines.size(), Math.max(2, capacity / 100));
        long first = biggest.lines.peekFirst().seq();
        long last = first;
        for (int i = 0; i < count; i++) {
            last = biggest.lines.removeFirst().seq();
            total--;
        }
        biggest.sentThrough = Math.max(biggest.sentThrough, last);
        add(biggest, LogLevel.WARN, "dropped " + count + " log lines (seq " + first + "-" + last
            + ") because the worker's log spool is full (" + capacity
            + " lines) and the server has not acknowledged them yet");
    }

    private void forgetIfDone(TaskRef ref, AttemptLog log) {
        if (log.finished()) {
            attempts.remove(ref);
        }
    }
}
