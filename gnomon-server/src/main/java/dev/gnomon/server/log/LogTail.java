package dev.gnomon.server.log;

import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.LogStore;
import dev.gnomon.server.store.LogStore.Chunk;
import dev.gnomon.server.store.LogStore.Filter;
import dev.gnomon.server.store.LogStore.Group;
import java.io.IOException;
import dev.gnomon.server.store.InstanceRow;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Follows an instance's log from the database, so any server of a cluster can serve a live
 * viewer: the history first, then new lines as they are stored, each once, in sequence order
 * per task attempt. It ends when the instance has ended and no line came for the grace time.
 */
public final class LogTail {

    /** Where the lines go; an {@link IOException} (the viewer left) ends the tail. */
    public interface Sink {
        void line(LogEntry entry, TailCursor cursor) throws IOException;

        /** Nothing new for a while; lets the viewer (and any proxy) know the stream is alive. */
        void idle() throws IOException;

        /** The lines read in one pass were handed over; push them out. */
        void flush() throws IOException;
    }

    static final int CHUNKS_PER_READ = 16;
    static final Duration IDLE_PING = Duration.ofSeconds(15);

    private final LogStore logs;
    private final InstanceStore instances;
    private final Duration poll;
    private final Duration grace;
    private final Clock clock;
    private final LongSupplier nanoTime;

    /**
     * @param grace how long after the end of an instance lines may still come; an instance that
     *              ended longer ago than that is done once its stored lines are sent
     */
    public LogTail(LogStore logs, InstanceStore instances, Duration poll, Duration grace, Clock clock,
                   LongSupplier nanoTime) {
        this.logs = logs;
        this.instances = instances;
        this.poll = poll;
        this.grace = grace;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /**
     * Sends lines after {@code cursor} until the instance has ended and its log is drained, and
     * returns the state it ended in.
     */
    public InstanceState follow(long instanceId, TailCursor cursor, Filter filter, Sink sink)
        throws IOException, InterruptedException {
        long endedAt = -1;
        long lastSent = nanoTime.getAsLong();
        while (true) {
            // read the state before the lines: whatever was stored before the end is drained below
            InstanceRow instance = instances.get(instanceId);
            InstanceState state = instance.state();
            boolean ended = state.terminal();
            long now = nanoTime.getAsLong();
            int sent = drain(instanceId, cursor, filter, sink);
            if (sent > 0) {
                sink.flush();
                lastSent = now;
            }
            if (ended) {
                if (endedAt < 0) {
                    Long finished = instance.finishedAt();
                    long agoMs = finished == null ? 0 : Math.max(0, clock.millis() - finished);
                    endedAt = now - TimeUnit.MILLISECONDS.toNanos(agoMs);
                }
                if (sent == 0 && now - endedAt >= grace.toNanos()) {
                    return state;
                }
            }
            if (sent == 0) {
                if (now - lastSent >= IDLE_PING.toNanos()) {
                    sink.idle();
                    lastSent = now;
                }
                Thread.sleep(poll.toMillis());
            }
        }
    }

    /** Sends every stored line after the cursor; returns how many lines it read. */
    int drain(long instanceId, TailCursor cursor, Filter filter, Sink sink) throws IOException {
        int read = 0;
        for (Map.Entry<Group, Long> head : logs.heads(instanceId).entrySet()) {
            Group group = head.getKey();
            while (cursor.seq(group) < head.getValue()) {
                List<Chunk> chunks = logs.after(group, cursor.seq(group), CHUNKS_PER_READ);
                if (chunks.isEmpty()) {
                    break;
                }
                for (Chunk chunk : chunks) {
                    for (LogLine line : chunk.lines()) {
                        if (line.seq() <= cursor.seq(group)) {
                            continue;
                        }
                        cursor.advance(group, line.seq());
                        read++;
                        if (filter.matches(line)) {
                            sink.line(new LogEntry(group.attempt(), line.seq(), line.at(), line.level(), line.text()),
                                cursor);
                        }
                    }
                }
            }
        }
        return read;
    }
}
