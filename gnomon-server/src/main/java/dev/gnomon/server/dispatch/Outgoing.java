package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages for workers gathered during one step of the dispatch loop and sent at its end, in
 * order, as few frames per worker channel as the worker reads: a pass's dispatches to a worker,
 * or a batch's acknowledgements of its reports, go out together.
 */
final class Outgoing {

    /** Per channel (a session is equal only to itself), in the order first used. */
    private final Map<WorkerSession, List<Message>> bySession = new LinkedHashMap<>();

    void add(WorkerSession session, Message message) {
        bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(message);
    }

    /** Sends what was gathered, channel by channel in the order first used, and forgets it. */
    void send() {
        bySession.forEach(WorkerSession::sendAll);
        bySession.clear();
    }
}
