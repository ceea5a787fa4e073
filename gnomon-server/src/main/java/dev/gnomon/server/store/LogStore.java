package dev.gnomon.server.store;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.api.LogEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Log lines of task attempts, stored in compressed chunks of consecutive lines (one chunk per
 * batch a worker sent). Each (task, attempt, seq) is stored once: lines at or below the highest
 * sequence number held for the attempt are resends and are dropped.
 */
public final class LogStore {

    /** One task attempt's log. */
    public record Group(long taskId, int attempt) {
    }

    /** Stored lines of one group, from {@code firstSeq} to {@code lastSeq}. */
    public record Chunk(Group group, long firstSeq, long lastSeq, List<LogLine> lines) {
    }

    /** Lines to keep: at least {@code minLevel} (null: all) and holding {@code contains} (null: all). */
    public record Filter(LogLevel minLevel, String contains) {

        public static final Filter ALL = new Filter(null, null);

        public boolean matches(LogLine line) {
            return (minLevel == null || line.level().compareTo(minLevel) >= 0)
                && (contains == null || line.text().contains(contains));
        }

        /** Whether a chunk with these levels present may hold a matching line. */
        boolean mayMatch(int levels) {
            if (minLevel == null) {
                return true;
            }
            for (LogLevel l : LogLevel.values()) {
                if (l.compareTo(minLevel) >= 0 && (levels & LogChunkCodec.bit(l)) != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A stored chunk's key, and a number that goes with it (its size or its position). */
    private record Key(long taskId, int attempt, long firstSeq, long extra) {
    }

    private static final String KEY = "task_id = :task AND attempt = :attempt AND first_seq = :first";

    private final Jdbi jdbi;
    private final java.time.Clock clock;

    public LogStore(Database db) {
        this(db, java.time.Clock.systemUTC());
    }

    public LogStore(Database db, java.time.Clock clock) {
        this.jdbi = db.jdbi();
        this.clock = clock;
    }

    /** Lines a worker sent for one attempt, with the count of lines it dropped so far. */
    public record Batch(long taskId, int attempt, long instanceId, List<LogLine> lines, long dropped) {
        Group group() {
            return new Group(taskId, attempt);
        }
    }

    /** Most lines in one stored chunk; a viewer or a page reads a whole chunk at a time. */
    static final int CHUNK_LINES = 4_096;
    /**
     * Characters of text after which a chunk is full, so that even a chunk that does not
     * compress stays well under the statement size databases accept by default (16 MB on MariaDB).
     */
    static final int CHUNK_CHARS = 1024 * 1024;

    /** As {@link #append(long, int, long, List, long)} with nothing dropped on the worker. */
    public long append(long taskId, int attempt, long instanceId, List<LogLine> lines) {
        return append(taskId, attempt, instanceId, lines, 0);
    }

    /**
     * Stores the lines not held yet and returns the highest sequence number now held for the
     * attempt. Lines arrive in order, so whatever is at or below the stored maximum is a resend.
     *
     * @param dropped lines of the attempt the worker dropped so far because its spool was full
     */
    public long append(long taskId, int attempt, long instanceId, List<LogLine> lines, long dropped) {
        return appendAll(List.of(new Batch(taskId, attempt, instanceId, lines, dropped)))
            .get(new Group(taskId, attempt));
    }

    /**
     * Stores several batches in one transaction (the lines of one attempt in as few chunks as
     * fit) and returns the highest sequence number now held for each attempt.
     */
    public Map<Group, Long> appendAll(List<Batch> batches) {
        Map<Group, List<Batch>> byGroup = new LinkedHashMap<>();
        for (Batch b : batches) {
            byGroup.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b);
        }
        return jdbi.inTransaction(h -> {
            Map<Group, Long> held = new LinkedHashMap<>();
            PreparedBatch insert = h.prepareBatch("INSERT INTO log_chunks (task_id, attempt, first_seq, last_seq,"
                + " instance_id, line_count, first_at, last_at, levels, dropped, stored_at, size_bytes, body)"
                + " VALUES (:task, :attempt, :first, :last, :instance, :count, :firstAt, :lastAt, :levels, :dropped,"
                + " :now, :size, :body)");
            for (Map.Entry<Group, List<Batch>> e : byGroup.entrySet()) {
                Group g = e.getKey();
                long max = held(h, g.taskId(), g.attempt());
                List<LogLine> fresh = new ArrayList<>();
                long dropped = 0;
                for (Batch b : e.getValue()) {
                    dropped = Math.max(dropped, b.dropped());
                    for (LogLine line : b.lines()) {
                        if (line.seq() > max) {
                            fresh.add(line.text() == null ? new LogLine(line.seq(), line.at(), line.level(), "")
                                : line);
                            max = line.seq();
                        }
                    }
                }
                long instanceId = e.getValue().get(0).instanceId();
                int from = 0;
                long chars = 0;
                for (int i = 0; i < fresh.size(); i++) {
                    if (i > from && (i - from == CHUNK_LINES || chars >= CHUNK_CHARS)) {
                        addChunk(insert, g, instanceId, fresh.subList(from, i), dropped);
                        from = i;
                        chars = 0;
                    }
                    chars += fresh.get(i).text().length();
                }
                if (from < fresh.size()) {
                    addChunk(insert, g, instanceId, fresh.subList(from, fresh.size()), dropped);
                }
                held.put(g, max);
            }
            if (insert.size() > 0) {
                insert.execute();
            }
            return held;
        });
    }

    private void addChunk(PreparedBatch insert, Group g, long instanceId, List<LogLine> lines, long dropped) {
        byte[] body = LogChunkCodec.encode(lines);
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;
        for (LogLine line : lines) {
            firstAt = Math.min(firstAt, line.at().toEpochMilli());
            lastAt = Math.max(lastAt, line.at().toEpochMilli());
        }
        insert.bind("task", g.taskId()).bind("attempt", g.attempt()).bind("first", lines.get(0).seq())
            .bind("last", lines.get(lines.size() - 1).seq()).bind("instance", instanceId).bind("count", lines.size())
            .bind("firstAt", firstAt).bind("lastAt", lastAt).bind("levels", LogChunkCodec.levels(lines))
            .bind("dropped", dropped).bind("now", clock.millis()).bind("size", body.length).bind("body", body)
            .add();
    }

    /** Lines of the attempt the worker reported dropped so far. */
    public long dropped(long taskId, int attempt) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(dropped), 0) FROM log_chunks"
                + " WHERE task_id = :task AND attempt = :attempt")
            .bind("task", taskId).bind("attempt", attempt).mapTo(Long.class).one());
    }

    /** A page of the instance's lines, ordered by attempt, task and sequence number. */
    public List<LogEntry> read(long instanceId, int offset, int limit) {
        return jdbi.withHandle(h -> {
            List<Key> wanted = new ArrayList<>();
            long position = 0;
            for (Key meta : h.createQuery("SELECT task_id, attempt, first_seq, line_count FROM log_chunks"
                    + " WHERE instance_id = :id ORDER BY attempt, task_id, first_seq")
                .bind("id", instanceId)
                .map((rs, ctx) -> new Key(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getInt(4))).list()) {
                if (position + meta.extra() > offset && position < (long) offset + limit) {
                    wanted.add(new Key(meta.taskId(), meta.attempt(), meta.firstSeq(), position));
                }
                position += meta.extra();
            }
            List<LogEntry> out = new ArrayList<>(Math.min(limit, 10_000));
            for (Key key : wanted) {
                byte[] body = bindKey(h.createQuery("SELECT body FROM log_chunks WHERE " + KEY), key)
                    .mapTo(byte[].class).one();
                List<LogLine> lines = LogChunkCodec.decode(body);
                for (int i = (int) Math.max(0, offset - key.extra()); i < lines.size() && out.size() < limit; i++) {
                    out.add(entry(key.attempt(), lines.get(i)));
                }
            }
            return out;
        });
    }

    /** Lines stored for the instance. */
    public long count(long instanceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(line_count), 0) FROM log_chunks"
                + " WHERE instance_id = :id").bind("id", instanceId).mapTo(Long.class).one());
    }

    /**
     * Hands every matching line of the instance to {@code sink}, ordered by attempt, task and
     * sequence number, one chunk in memory at a time; returns the number of lines handed over.
     * No database connection is held while {@code sink} works, so a slow reader costs none.
     */
    public long forEach(long instanceId, Filter filter, Consumer<LogEntry> sink) {
        List<Key> keys = jdbi.withHandle(h -> h.createQuery("SELECT task_id, attempt, first_seq, levels"
                + " FROM log_chunks WHERE instance_id = :id ORDER BY attempt, task_id, first_seq")
            .bind("id", instanceId)
            .map((rs, ctx) -> new Key(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getInt(4))).list());
        long sent = 0;
        for (Key key : keys) {
            if (!filter.mayMatch((int) key.extra())) {
                continue;
            }
            // a chunk deleted by the retention sweep meanwhile is skipped
            List<byte[]> body = jdbi.withHandle(h -> bindKey(h.createQuery("SELECT body FROM log_chunks WHERE "
                + KEY), key).mapTo(byte[].class).list());
            for (byte[] blob : body) {
                for (LogLine line : LogChunkCodec.decode(blob)) {
                    if (filter.matches(line)) {
                        sink.accept(entry(key.attempt(), line));
                        sent++;
                    }
                }
            }
        }
        return sent;
    }

    /** The highest sequence number stored for each attempt of the instance, ordered by attempt and task. */
    public Map<Group, Long> heads(long instanceId) {
        Map<Group, Long> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT task_id, attempt, MAX(last_seq) FROM log_chunks"
                + " WHERE instance_id = :id GROUP BY attempt, task_id ORDER BY attempt, task_id")
            .bind("id", instanceId)
            .map((rs, ctx) -> out.put(new Group(rs.getLong(1), rs.getInt(2)), rs.getLong(3)))
            .forEach(x -> { }));
        return out;
    }

    /** Up to {@code limit} chunks of the group holding lines after {@code seq}, in order. */
    public List<Chunk> after(Group group, long seq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT first_seq, last_seq, body FROM log_chunks"
                + " WHERE task_id = :task AND attempt = :attempt AND last_seq > :seq ORDER BY first_seq LIMIT :limit")
            .bind("task", group.taskId()).bind("attempt", group.attempt()).bind("seq", seq).bind("limit", limit)
            .map((rs, ctx) -> new Chunk(group, rs.getLong(1), rs.getLong(2), LogChunkCodec.decode(rs.getBytes(3))))
            .list());
    }

    /**
     * Deletes up to {@code limit} chunks stored before {@code storedBefore}, then, while the
     * chunks take more than {@code maxBytes}, up to {@code limit} of the oldest; returns how many
     * were deleted. A caller runs it again while it deletes as many as it may.
     */
    public int sweep(long storedBefore, long maxBytes, int limit) {
        return jdbi.inTransaction(h -> {
            List<Key> doomed = h.createQuery("SELECT task_id, attempt, first_seq FROM log_chunks"
                    + " WHERE stored_at < :cut ORDER BY stored_at LIMIT :limit")
                .bind("cut", storedBefore).bind("limit", limit)
                .map((rs, ctx) -> new Key(rs.getLong(1), rs.getInt(2), rs.getLong(3), 0)).list();
            delete(h, doomed);
            int left = limit - doomed.size();
            long total = h.createQuery("SELECT COALESCE(SUM(size_bytes), 0) FROM log_chunks").mapTo(Long.class).one();
            if (total <= maxBytes || left == 0) {
                return doomed.size();
            }
            List<Key> oldest = new ArrayList<>();
            for (Key row : h.createQuery("SELECT task_id, attempt, first_seq, size_bytes FROM log_chunks"
                    + " ORDER BY stored_at, task_id, attempt, first_seq LIMIT :limit")
                .bind("limit", left)
                .map((rs, ctx) -> new Key(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getInt(4))).list()) {
                if (total <= maxBytes) {
                    break;
                }
                oldest.add(row);
                total -= row.extra();
            }
            delete(h, oldest);
            return doomed.size() + oldest.size();
        });
    }

    private static void delete(Handle h, List<Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("DELETE FROM log_chunks WHERE " + KEY);
        for (Key key : keys) {
            bindKey(batch, key).add();
        }
        batch.execute();
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindKey(T statement, Key key) {
        return statement.bind("task", key.taskId()).bind("attempt", key.attempt()).bind("first", key.firstSeq());
    }

    private static long held(Handle h, long taskId, int attempt) {
        return h.createQuery("SELECT COALESCE(MAX(last_seq), 0) FROM log_chunks WHERE task_id = :task"
                + " AND attempt = :attempt")
            .bind("task", taskId).bind("attempt", attempt).mapTo(Long.class).one();
    }

    private static LogEntry entry(int attempt, LogLine line) {
        return new LogEntry(attempt, line.seq(), line.at(), line.level(), line.text());
    }
}
