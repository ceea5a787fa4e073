package dev.gnomon.worker.channel;

import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.worker.log.LogSpool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task reports the server has not acknowledged yet, in the order they were made. A report goes
 * out only once the task's log lines written before it were handed to the channel, so a viewer
 * sees the whole log when the instance ends. An attempt that ends before its start report went
 * out sends its end alone: the server takes an end on an attempt it had not seen start as the
 * start and the end together, so a short task costs one report and one acknowledgement instead
 * of two of each, and one row write on the server.
 */
public final class ReportOutbox {

    /** A report sent on a live channel and not acknowledged within this time is sent again. */
    public static final Duration RESEND_AFTER = Duration.ofSeconds(10);

    private record Key(TaskRef ref, long seq) {
    }

    private static final class Entry {
        final TaskReport report;
        final long logBarrier;
        Instant sentAt;

        Entry(TaskReport report, long logBarrier) {
            this.report = report;
            this.logBarrier = logBarrier;
        }
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    /**
     * Holds a report until it is acknowledged.
     *
     * @param logBarrier the attempt's last log line that must be sent before this report
     */
    public synchronized void add(TaskReport report, long logBarrier) {
        Key key = new Key(report.ref(), report.seq());
        Entry existing = entries.get(key);
        if (existing != null) {
            existing.sentAt = null;
            return;
        }
        if (report.phase().terminal()) {
            // the end says the attempt ran: a start report not sent yet has nothing left to say
            Key start = new Key(report.ref(), 1);
            Entry started = entries.get(start);
            if (started != null && started.sentAt == null && started.report.phase() == TaskPhase.STARTED) {
                entries.remove(start);
            }
        }
        entries.put(key, new Entry(report, logBarrier));
    }

    /** The server holds the report. */
    public synchronized void ack(TaskRef ref, long seq) {
        entries.remove(new Key(ref, seq));
    }

    /** A new channel: everything not acknowledged goes out again. */
    public synchronized void rewind() {
        entries.values().forEach(e -> e.sentAt = null);
    }

    /** Reports to send now, in order; they count as sent at {@code now}. */
    public synchronized List<TaskReport> takeDue(Instant now, LogSpool spool) {
        List<TaskReport> due = new ArrayList<>();
        for (Entry e : entries.values()) {
            boolean waiting = e.sentAt == null || !e.sentAt.plus(RESEND_AFTER).isAfter(now);
            if (waiting && spool.sentThrough(e.report.ref(), e.logBarrier)) {
                e.sentAt = now;
                due.add(e.report);
            }
        }
        return due;
    }

    /** Reports not acknowledged yet. */
    public synchronized int size() {
        return entries.size();
    }
}
