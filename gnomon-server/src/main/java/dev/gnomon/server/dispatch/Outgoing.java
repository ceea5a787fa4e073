package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Message;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages for workers gathered during one step of the dispatch loop and sent at its end, in
 * order, as few frames per worker channel as the worker reads: a pass's dispatches to a worker,
 * or a batch's acknowledgements of its reports, go out together.
 */
final class Outgoing {

    private final Map<WorkerSession, List<Message>> bySession = new IdentityHashMap<>();
    private final List<WorkerSession> order = new ArrayList<>();

    void add(WorkerSession session, Message message) {
        bySession.computeIfAbsent(session, s -> {
            order.add(s);
            return new ArrayList<>();
        }).add(message);
    }

    /** Sends what was gathered, channel by channel in the order first used, and forgets it. */
    void send() {
        for (WorkerSession s : order) {
            s.sendAll(bySession.get(s));
        }
        bySession.clear();
        order.clear();
    }
}
