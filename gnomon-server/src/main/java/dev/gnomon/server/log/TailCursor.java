package dev.gnomon.server.log;

import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.store.LogStore.Group;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a live viewer has read: the last sequence number per task attempt. Its text form,
 * {@code taskId:attempt:seq} entries joined by commas, is the Server-Sent Events id, so a
 * viewer that reconnects with {@code Last-Event-ID} goes on after the last line it received.
 */
public final class TailCursor {

    private final Map<Group, Long> read = new LinkedHashMap<>();
    private String text;

    /** Reads a {@code Last-Event-ID}; null or blank is the start of the log. */
    public static TailCursor parse(String id) {
        TailCursor cursor = new TailCursor();
        if (id == null || id.isBlank()) {
            return cursor;
        }
        for (String entry : id.strip().split(",")) {
            String[] parts = entry.split(":");
            try {
                if (parts.length != 3) {
                    throw new NumberFormatException();
                }
                long task = Long.parseLong(parts[0]);
                int attempt = Integer.parseInt(parts[1]);
                long seq = Long.parseLong(parts[2]);
                if (task < 1 || attempt < 1 || seq < 0) {
                    throw new NumberFormatException();
                }
                cursor.read.put(new Group(task, attempt), seq);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("Last-Event-ID", "'" + id + "' is not a log position; send back the"
                    + " id of the last event received (taskId:attempt:seq entries joined by commas), or none to"
                    + " start at the beginning");
            }
        }
        return cursor;
    }

    /** The last sequence number read of the attempt, 0 when none. */
    long seq(Group group) {
        return read.getOrDefault(group, 0L);
    }

    void advance(Group group, long seq) {
        read.put(group, seq);
        text = null;
    }

    @Override
    public String toString() {
        if (text == null) {
            StringBuilder b = new StringBuilder();
            read.forEach((g, seq) -> {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(g.taskId()).append(':').append(g.attempt()).append(':').append(seq);
            });
            text = b.toString();
        }
        return text;
    }
}
