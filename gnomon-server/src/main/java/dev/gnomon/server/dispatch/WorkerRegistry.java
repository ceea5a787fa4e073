package dev.gnomon.server.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workers connected to this server, by app. A worker that reconnects replaces its old session;
 * a worker whose channel closed stays known (as gone) until it comes back or is declared lost.
 */
public final class WorkerRegistry {

    private record Key(long appId, String workerId) {
    }

    private final Map<Key, WorkerSession> sessions = new ConcurrentHashMap<>();
    private final Map<Key, Long> goneSinceNanos = new ConcurrentHashMap<>();
    private final Set<Key> goneSuspect = ConcurrentHashMap.newKeySet();

    /** Adds a session; returns the one it replaces, if any. */
    public Optional<WorkerSession> connected(WorkerSession session) {
        Key key = new Key(session.appId(), session.workerId());
        goneSinceNanos.remove(key);
        goneSuspect.remove(key);
        return Optional.ofNullable(sessions.put(key, session));
    }

    /**
     * Forgets a closed session unless a newer one replaced it already; the worker counts as gone
     * (silent) since {@code silentSinceNanos}, when it was last heard.
     */
    public void disconnected(WorkerSession session, long silentSinceNanos) {
        Key key = new Key(session.appId(), session.workerId());
        session.closed();
        if (sessions.remove(key, session)) {
            goneSinceNanos.put(key, silentSinceNanos);
        }
    }

    public Optional<WorkerSession> session(long appId, String workerId) {
        return Optional.ofNullable(sessions.get(new Key(appId, workerId)));
    }

    public List<WorkerSession> sessions() {
        return List.copyOf(sessions.values());
    }

    public List<WorkerSession> ofApp(long appId) {
        return sessions.values().stream().filter(s -> s.appId() == appId).toList();
    }

    /** Notes that a gone worker was declared SUSPECT; false when it was already. */
    public boolean markGoneSuspect(long appId, String workerId) {
        Key key = new Key(appId, workerId);
        return goneSinceNanos.containsKey(key) && goneSuspect.add(key);
    }

    /** Workers whose channel closed, with when they were last heard. */
    public Map<String, Long> gone(long appId) {
        Map<String, Long> out = new java.util.HashMap<>();
        goneSinceNanos.forEach((k, v) -> {
            if (k.appId() == appId) {
                out.put(k.workerId(), v);
            }
        });
        return out;
    }

    public void forgetGoneOfApp(long appId) {
        goneSinceNanos.keySet().removeIf(k -> k.appId() == appId);
        goneSuspect.removeIf(k -> k.appId() == appId);
    }

    public void forgetGone(long appId, String workerId) {
        goneSinceNanos.remove(new Key(appId, workerId));
        goneSuspect.remove(new Key(appId, workerId));
    }
}
