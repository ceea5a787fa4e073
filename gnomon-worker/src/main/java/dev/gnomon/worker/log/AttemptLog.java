package dev.gnomon.worker.log;

import dev.gnomon.protocol.LogLine;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The held lines of one task attempt. Invariant: every line with a sequence number up to
 * {@code sentThrough} was handed to a channel or is gone (acknowledged or dropped); the lines
 * above it are held and unsent, without gaps.
 */
final class AttemptLog {

    final long instanceId;
    final Deque<LogLine> lines = new ArrayDeque<>();
    long nextSeq = 1;
    long sentThrough;
    boolean closed;

    AttemptLog(long instanceId) {
        this.instanceId = instanceId;
    }

    long lastSeq() {
        return nextSeq - 1;
    }

    /** Everything before the first held line is acknowledged or dropped, so resend from there. */
    void rewind() {
        sentThrough = lines.isEmpty() ? lastSeq() : lines.peekFirst().seq() - 1;
    }

    boolean finished() {
        return closed && lines.isEmpty();
    }
}
