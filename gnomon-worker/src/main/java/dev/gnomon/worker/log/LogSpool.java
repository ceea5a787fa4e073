package dev.gnomon.worker.log;

import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.TaskRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task log lines on their way to the server, kept in files on disk until the server
 * acknowledges them. Lines are numbered per attempt from 1, shipped in batches, and sent again
 * from the last acknowledged one after a reconnect.
 *
 * <p>The spool is bounded by size and by age. When a line does not fit, the oldest
 * unacknowledged lines of the oldest attempt are dropped, one file at a time, and a WARN line
 * with the sequence number of the last dropped line takes their place: "N log lines dropped
 * (seq a-b): the worker's log spool is full (limit X bytes)". Lines older than the age limit go
 * the same way. Every batch carries the attempt's count of dropped lines, which the server
 * logs and counts; the loss is never silent.
 *
 * <p>When the spool directory is given, a worker started again on it sends the lines an earlier
 * run left unacknowledged. Lines are flushed to the files each time a batch is taken, at least
 * every 100 ms while lines are written, and when an attempt ends, so a crash of the worker's
 * process loses at most the lines of its last moment.
 */
public final class LogSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogSpool.class);

    /** Lines per {@link LogBatch}. */
    public static final int BATCH_LINES = 1_000;
    /**
     * Characters of text per {@link LogBatch} (a batch holds at least one line). Keeps each
     * WebSocket message well under 1 MiB; the server must accept text messages of that size.
     */
    public static final int BATCH_CHARS = 256 * 1024;
    /** Batches taken in one call, so a full spool is not read into memory at once. */
    static final int BATCHES_PER_TAKE = 32;
    /** Written lines reach the files at least this often while lines are written, connected or not. */
    static final Duration FLUSH_EVERY = Duration.ofMillis(100);
    /** Lines sent on a live channel and not acknowledged within this time are sent again. */
    public static final Duration RESEND_AFTER = Duration.ofSeconds(30);
    /** How long a final report waits for the server to acknowledge the log lines written before it. */
    public static final Duration REPORT_WAIT = Duration.ofSeconds(5);

    private final SpoolSettings settings;
    private final Path dir;
    private final boolean temporary;
    private final Clock clock;
    private final Runnable batchReady;
    private final Map<TaskRef, AttemptLog> attempts = new LinkedHashMap<>();
    private final FileChannel lockFile;
    private final FileLock lock;
    private long bytes;
    private long droppedTotal;
    private long flushedAtMillis;
    private boolean closed;

    /**
     * Opens the spool directory (or a temporary one), takes it for this worker, and picks up the
     * lines an earlier run left in it.
     *
     * @param batchReady called when an attempt has a full batch waiting, so the sender need not wait
     * @throws IllegalStateException when another worker uses the directory or it cannot be written
     */
    public LogSpool(SpoolSettings settings, Clock clock, Runnable batchReady) {
        this.settings = settings;
        this.clock = clock;
        this.batchReady = batchReady;
        this.temporary = settings.dir() == null;
        try {
            this.dir = temporary ? Files.createTempDirectory("gnomon-log-spool-")
                : Files.createDirectories(settings.dir());
            this.lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot use log spool directory " + settings.dir() + ": " + e, e);
        }
        try {
            this.lock = lockFile.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly();
            throw inUse();
        }
        if (lock == null) {
            closeQuietly();
            throw inUse();
        }
        recover();
    }

    private IllegalStateException inUse() {
        return new IllegalStateException("log spool directory " + dir + " is in use by another worker; give each"
            + " worker a directory of its own");
    }

    /** The directory the spool files are in. */
    public Path directory() {
        return dir;
    }

    /** Starts the log of an attempt; lines may be appended from now on. */
    public synchronized void open(TaskRef ref, long instanceId) {
        attempts.computeIfAbsent(ref, r -> new AttemptLog(r, instanceId));
    }

    /** Appends a line and returns its sequence number, or 0 when the attempt's log is closed or unknown. */
    public long append(TaskRef ref, LogLevel level, String text) {
        byte[] utf8 = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        boolean fullBatch;
        long seq;
        synchronized (this) {
            AttemptLog log = attempts.get(ref);
            if (log == null || log.closed || closed) {
                return 0;
            }
            seq = log.nextSeq++;
            long size = SpoolSegment.size(utf8);
            while (bytes + size > settings.maxBytes() && dropOldest()) {
                // each round frees one file
            }
            try {
                SpoolSegment segment = log.active();
                if (segment == null || segment.bytes + size > settings.segmentBytes() && segment.lastSeq >= segment.firstSeq) {
                    if (segment != null) {
                        segment.seal();
                    }
                    segment = SpoolSegment.create(SpoolSegment.pathOf(dir, ref.taskId(), ref.attempt(), seq), seq,
                        log.instanceId, 0);
                    log.segments.add(segment);
                    bytes += SpoolSegment.HEADER_BYTES;
                }
                long now = clock.millis();
                segment.write(seq, now, level, utf8);
                bytes += size;
                if (now - flushedAtMillis >= FLUSH_EVERY.toMillis()) {
                    segment.flush();
                    flushedAtMillis = now;
                }
            } catch (IOException e) {
                lost(log, seq, e);
            }
            fullBatch = seq - log.sentThrough >= BATCH_LINES;
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
            SpoolSegment active = log.active();
            if (active != null) {
                io(active::seal);
            }
            forgetIfDone(log);
        }
    }

    /** The server holds every line of the attempt up to {@code seq}. */
    public synchronized void ack(TaskRef ref, long seq) {
        AttemptLog log = attempts.get(ref);
        if (log == null) {
            return;
        }
        log.acked = Math.max(log.acked, Math.min(seq, log.lastSeq()));
        log.sentThrough = Math.max(log.sentThrough, log.acked);
        for (Iterator<SpoolSegment> it = log.segments.iterator(); it.hasNext(); ) {
            SpoolSegment s = it.next();
            if (s.lastSeq > log.acked || s.writable() && !log.closed) {
                break;
            }
            remove(s);
            it.remove();
        }
        forgetIfDone(log);
    }

    /** A new channel: everything not acknowledged goes out again. */
    public synchronized void rewind() {
        for (AttemptLog log : attempts.values()) {
            log.sentThrough = log.acked;
        }
    }

    /**
     * Whether a report made after line {@code seq} may go: the server holds the lines up to it,
     * or they were handed to a channel at least {@link #REPORT_WAIT} ago (a job's outcome never
     * waits long for its log).
     */
    public synchronized boolean sentThrough(TaskRef ref, long seq) {
        AttemptLog log = attempts.get(ref);
        return log == null || log.acked >= seq
            || log.sentThrough >= seq && clock.millis() - log.sentAtMillis >= REPORT_WAIT.toMillis();
    }

    /**
     * Takes unsent lines as batches, in order, and counts them as handed over. Drops lines past
     * the age limit first. When more is waiting than one call takes, the sender is woken again.
     */
    public synchronized List<LogBatch> takeUnsent() {
        dropExpired();
        long now = clock.millis();
        for (AttemptLog log : attempts.values()) {
            // the server could not store them (it said so in its log): offer them again
            if (log.acked < log.sentThrough && now - log.sentAtMillis >= RESEND_AFTER.toMillis()) {
                log.sentThrough = log.acked;
            }
        }
        List<LogBatch> batches = new ArrayList<>();
        boolean more = false;
        for (AttemptLog log : attempts.values()) {
            while (log.sentThrough < log.lastSeq()) {
                if (batches.size() >= BATCHES_PER_TAKE) {
                    more = true;
                    break;
                }
                List<LogLine> lines = read(log);
                if (lines.isEmpty()) {
                    log.sentThrough = log.lastSeq();
                    break;
                }
                batches.add(new LogBatch(log.ref.taskId(), log.ref.attempt(), log.instanceId, lines, log.dropped));
                log.sentThrough = lines.get(lines.size() - 1).seq();
                log.sentAtMillis = clock.millis();
            }
        }
        if (more) {
            batchReady.run();
        }
        return batches;
    }

    /** Lines written and not acknowledged yet, over all attempts. */
    public synchronized long size() {
        long n = 0;
        for (AttemptLog log : attempts.values()) {
            n += log.pending();
        }
        return n;
    }

    /** Bytes the spool files take now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Lines dropped since this spool was opened, because it was full, too old, or a file could not be written. */
    public synchronized long droppedLines() {
        return droppedTotal;
    }

    /** Flushes the files and lets the directory go; a temporary directory is deleted. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AttemptLog log : attempts.values()) {
            for (SpoolSegment s : log.segments) {
                io(s::seal);
            }
        }
        if (temporary) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.warn("cannot delete the temporary log spool {}: {}", dir, e.toString());
            }
        }
        closeQuietly();
        if (temporary) {
            io(() -> Files.deleteIfExists(dir));
        }
    }

    private List<LogLine> read(AttemptLog log) {
        List<LogLine> lines = new ArrayList<>();
        for (SpoolSegment s : log.segments) {
            if (s.lastSeq <= log.sentThrough) {
                continue;
            }
            try {
                s.read(log.sentThrough, BATCH_LINES, BATCH_CHARS, lines);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read log spool file " + s.path, e);
            }
            if (!lines.isEmpty()) {
                return lines;
            }
        }
        return lines;
    }

    /** Drops one file of unacknowledged lines of the oldest attempt that has one; false when none is left. */
    private boolean dropOldest() {
        for (AttemptLog log : attempts.values()) {
            for (SpoolSegment s : log.segments) {
                if (!s.isMarker() && s.lastSeq >= s.firstSeq && s.lastSeq > log.acked) {
                    drop(log, s, "the worker's log spool is full (limit " + settings.maxBytes() + " bytes)");
                    return true;
                }
            }
        }
        return false;
    }

    private void dropExpired() {
        long cut = clock.millis() - settings.maxAge().toMillis();
        for (AttemptLog log : attempts.values()) {
            for (SpoolSegment s : List.copyOf(log.segments)) {
                if (!s.isMarker() && s.lastSeq >= s.firstSeq && s.lastSeq > log.acked && s.lastAtMillis < cut) {
                    drop(log, s, "older than the log spool's age limit (" + settings.maxAge() + ")");
                }
            }
        }
    }

    /**
     * Replaces the unacknowledged lines of {@code s} (and a drop marker right before it) by one
     * WARN line numbered like the last of them.
     */
    private void drop(AttemptLog log, SpoolSegment s, String reason) {
        int at = log.segments.indexOf(s);
        long first = Math.max(s.firstSeq, log.acked + 1);
        long count = s.lastSeq - first + 1;
        if (at > 0 && log.segments.get(at - 1).isMarker() && log.segments.get(at - 1).lastSeq == s.firstSeq - 1) {
            SpoolSegment before = log.segments.remove(--at);
            if (before.lastSeq > log.acked) {
                count += before.markerFor;
                first = before.firstSeq - before.markerFor + 1;
            }
            remove(before);
        }
        log.segments.remove(s);
        remove(s);
        long dropped = s.lastSeq - Math.max(s.firstSeq, log.acked + 1) + 1;
        log.dropped += dropped;
        droppedTotal += dropped;
        String text = count + " log lines dropped (seq " + first + "-" + s.lastSeq + "): " + reason;
        LOG.warn("task {} attempt {}: {}", log.ref.taskId(), log.ref.attempt(), text);
        try {
            SpoolSegment marker = SpoolSegment.create(SpoolSegment.pathOf(dir, log.ref.taskId(), log.ref.attempt(),
                s.lastSeq), s.lastSeq, log.instanceId, count);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            marker.write(s.lastSeq, clock.millis(), LogLevel.WARN, utf8);
            marker.seal();
            log.segments.add(at, marker);
            bytes += marker.bytes;
        } catch (IOException e) {
            LOG.warn("cannot write the drop marker of task {} attempt {}: {}", log.ref.taskId(), log.ref.attempt(),
                e.toString());
        }
    }

    private void lost(AttemptLog log, long seq, IOException e) {
        log.dropped++;
        droppedTotal++;
        LOG.warn("cannot write log line {} of task {} attempt {} to the spool in {}; it is dropped: {}", seq,
            log.ref.taskId(), log.ref.attempt(), dir, e.toString());
    }

    private void remove(SpoolSegment s) {
        bytes -= s.bytes;
        io(s::delete);
    }

    private void forgetIfDone(AttemptLog log) {
        if (log.finished()) {
            for (SpoolSegment s : log.segments) {
                remove(s);
            }
            log.segments.clear();
            attempts.remove(log.ref);
        }
    }

    /** Picks up the files an earlier run left: their attempts are closed and are sent again in full. */
    private void recover() {
        List<SpoolSegment.Recovered> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                SpoolSegment.Recovered r = SpoolSegment.recover(p);
                if (r != null) {
                    found.add(r);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read log spool directory " + dir + ": " + e, e);
        }
        found.sort(Comparator.comparingLong(SpoolSegment.Recovered::taskId)
            .thenComparingInt(SpoolSegment.Recovered::attempt)
            .thenComparingLong(r -> r.segment().firstSeq));
        long lines = 0;
        for (SpoolSegment.Recovered r : found) {
            TaskRef ref = new TaskRef(r.taskId(), r.attempt());
            SpoolSegment s = r.segment();
            if (s.lastSeq < s.firstSeq) {
                io(s::delete);
                continue;
            }
            AttemptLog log = attempts.computeIfAbsent(ref, k -> new AttemptLog(k, r.instanceId()));
            if (log.segments.isEmpty()) {
                log.acked = s.firstSeq - 1;
                log.sentThrough = log.acked;
            }
            log.closed = true;
            log.segments.add(s);
            log.nextSeq = s.lastSeq + 1;
            log.dropped += s.markerFor;
            bytes += s.bytes;
            lines += s.lastSeq - s.firstSeq + 1;
        }
        if (!attempts.isEmpty()) {
            LOG.info("log spool {} holds about {} unacknowledged lines of {} task attempts from an earlier run; they"
                + " are sent again", dir, lines, attempts.size());
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private void io(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            LOG.warn("log spool {}: {}", dir, e.toString());
        }
    }

    private void closeQuietly() {
        try {
            lockFile.close();
        } catch (IOException e) {
            LOG.debug("closing the spool lock file failed", e);
        }
    }
}
