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
 * Records concurrent single run-now calls of one app together, in one transaction (a group
 * commit). A call that finds no recording under way for its app leads: it takes the calls queued
 * meanwhile, its own first, records them, and answers each once committed. Calls that arrive
 * during that commit queue for the next group, which the first of them leads. So a call on an
 * idle server is recorded at once, alone, and under load one commit carries many calls instead
 * of many callers waiting for a connection and a commit each.
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
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();

    RunNowGroups(Writer writer) {
        this.writer = writer;
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

    /** Calls of the app waiting for a group to take them (not counting one being recorded). */
    int queued(long appId) {
        Group g = groups.get(appId);
        return g == null ? 0 : g.queued();
    }

    /** The calls of one app: those queued, and whether one of them is leading a recording. */
    private final class Group {

        private final ArrayDeque<Call> queue = new ArrayDeque<>();
        private boolean leading;

        long record(Call me) {
            boolean lead;
            synchronized (this) {
                queue.add(me);
                lead = !leading;
                leading = true;
            }
            // join, not get: a call told to lead must lead, even if its thread is interrupted
            if (!lead && me.turn.join()) {
                return me.answer();
            }
            // the leader is always the head of the queue, so it records itself first
            List<Call> batch = new ArrayList<>();
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

        private void handOver() {
            synchronized (this) {
                Call next = queue.peek();
                if (next == null) {
                    leading = false;
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
