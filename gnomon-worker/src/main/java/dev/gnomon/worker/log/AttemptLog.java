package dev.gnomon.worker.log;

import dev.gnomon.protocol.TaskRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The spooled log of one task attempt: its files in sequence order (the last one may still be
 * written to) and how far the lines were sent and acknowledged. Invariant: every line up to
 * {@code acked} is held by the server; every line up to {@code sentThrough} was handed to a
 * channel or dropped.
 */
final class AttemptLog {

    final TaskRef ref;
    final long instanceId;
    final List<SpoolSegment> segments = new ArrayList<>();
    long nextSeq = 1;
    long acked;
    long sentThrough;
    /** Epoch milliseconds when lines were last handed to a channel. */
    long sentAtMillis;
    /** Lines of this attempt dropped so far. */
    long dropped;
    boolean closed;

    AttemptLog(TaskRef ref, long instanceId) {
        this.ref = ref;
        this.instanceId = instanceId;
    }

    long lastSeq() {
        return nextSeq - 1;
    }

    /** Lines written and not acknowledged yet. */
    long pending() {
        return lastSeq() - acked;
    }

    SpoolSegment active() {
        if (segments.isEmpty()) {
            return null;
        }
        SpoolSegment last = segments.get(segments.size() - 1);
        return last.writable() ? last : null;
    }

    boolean finished() {
        return closed && acked >= lastSeq();
    }
}
