package dev.gnomon.server.dispatch;

import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.FencedException;
import dev.gnomon.server.store.NewInstance;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records concurrent single run-now calls of one app together, a group in one transaction (a
 * group commit). A call that finds fewer than {@code writers} groups of its app being recorded
 * leads one: it takes the calls queued meanwhile, its own first, records them, and answers each
 * once committed. Calls that arrive while that many groups are being recorded queue for the
 * next group, which the first of them leads. So a call on an idle server is recorded at once,
 * alone, and under load one commit carries many calls instead of many callers waiting for a
 * connection and a commit each; with more than one writer, a group is taken while others
 * commit rather than after them.
 *
 * <p>Each call gets its own instance or its own error: when a group's transaction fails, its
 * calls are recorded again one by one, so that one bad call (its job deleted meanwhile) cannot
 * fail the others. A lost lease fails every call made under it.
 */
final class RunNowGroups {

    /** At most this many calls in one transaction; the rest wait for the next group. */
    static final int MAX_GROUP = 256;

    /** Records rows under a lease in one transaction, returning their ids in order: all or none. */
    interface Writer {
        List<Long> insertAll(Fence fence, List<NewInstance> rows);
    }

    private final Writer writer;
    private final int writers;
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();

    /** {@code writers}: at most this many groups of one app are recorded at the same time. */
    RunNowGroups(Writer writer, int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers is " + writers + "; at least 1");
        }
        this.writer = writer;
        this.writers = writers;
    }

    /**
     * Records one run-now instance under {@code fence}, with the calls of the same app that
     * arrive meanwhile; returns its id once committed.
     *
     * @throws FencedException when the lease is gone
     * @throws dev.gnomon.server.NotFoundException when the job was deleted
     */
    long record(Fence fence, NewInstance row) {
        return groups.computeIfAbsent(fence.appId(), app -> new Group()).record(new Call(fence, row));
    }

    /** Calls of the app waiting for a group to take them (not counting those being recorded). */
    int queued(long appId) {
        Group g = groups.get(appId);
        return g == null ? 0 : g.queued();
    }

    /** The calls of one app: those queued, and how many groups are being recorded. */
    private final class Group {

        /** Not empty only while {@link #writing} is at its most. */
        private final ArrayDeque<Call> queue = new ArrayDeque<>();
        private int writing;

        long record(Call me) {
            boolean lead;
            synchronized (this) {
                lead = writing < writers;
                if (lead) {
                    writing++;
                } else {
                    queue.add(me);
                }
            }
            // join, not get: a call told to lead must lead, even if its thread is interrupted
            if (!lead && me.turn.join()) {
                return me.answer();
            }
            List<Call> batch = new ArrayList<>();
            batch.add(me);
            synchronized (this) {
                while (!queue.isEmpty() && batch.size() < MAX_GROUP) {
                    batch.add(queue.poll());
                }
            }
            try {
                write(batch);
            } finally {
                handOver();
                for (Call c : batch) {
                    c.turn.complete(true);
                }
            }
            return me.answer();
        }

        /** The first call queued leads the next group (taken off the queue, so told once); else one writer fewer. */
        private void handOver() {
            synchronized (this) {
                Call next = queue.poll();
                if (next == null) {
                    writing--;
                } else {
                    next.turn.complete(false);
                }
            }
        }

        synchronized int queued() {
            return queue.size();
        }
    }

    private void write(List<Call> batch) {
        Map<Fence, List<Call>> byFence = new LinkedHashMap<>();
        for (Call c : batch) {
            byFence.computeIfAbsent(c.fence, f -> new ArrayList<>()).add(c);
        }
        byFence.forEach(this::write);
    }

    private void write(Fence fence, List<Call> calls) {
        if (calls.size() > 1) {
            List<NewInstance> rows = new ArrayList<>(calls.size());
            for (Call c : calls) {
                rows.add(c.row);
            }
            try {
                List<Long> ids = writer.insertAll(fence, rows);
                for (int i = 0; i < calls.size(); i++) {
                    calls.get(i).id = ids.get(i);
                }
                return;
            } catch (FencedException e) {
                for (Call c : calls) {
                    c.error = new FencedException(fence);
                }
                return;
            } catch (RuntimeException e) {
                // nothing was recorded: find out which call failed it by recording them one by one
            }
        }
        for (Call c : calls) {
            try {
                c.id = writer.insertAll(fence, List.of(c.row)).get(0);
            } catch (RuntimeException e) {
                c.error = e;
            }
        }
    }

    /** One caller's row, and its answer: an id or an error, given when {@link #turn} completes with true. */
    private static final class Call {

        final Fence fence;
        final NewInstance row;
        /** Completes with true once answered, or with false when this call is to lead the next group. */
        final CompletableFuture<Boolean> turn = new CompletableFuture<>();
        Long id;
        RuntimeException error;

        Call(Fence fence, NewInstance row) {
            this.fence = fence;
            this.row = row;
        }

        long answer() {
            if (error != null) {
                throw error;
            }
            if (id == null) {
                throw new IllegalStateException("the run-now call of job " + row.jobId() + " was not recorded: its"
                    + " group failed on an error; try again");
            }
            return id;
        }
    }
}
