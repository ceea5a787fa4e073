package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;
import java.util.LinkedHashMap;
import java.util.Map;

/** The columns one state change of an instance sets, besides its state. */
public final class InstanceChange {

    private final InstanceState to;
    private final Map<String, Object> sets = new LinkedHashMap<>();

    private InstanceChange(InstanceState to) {
        this.to = to;
    }

    public static InstanceChange to(InstanceState state) {
        return new InstanceChange(state);
    }

    public InstanceState state() {
        return to;
    }

    public InstanceChange worker(String workerId) {
        return set("worker_id", workerId);
    }

    public InstanceChange result(String result) {
        return set("result", truncate(result, 4000));
    }

    public InstanceChange reason(String reason) {
        return set("reason", truncate(reason, 1000));
    }

    public InstanceChange attempt(int attempt) {
        return set("attempt", attempt);
    }

    public InstanceChange startedAt(Long at) {
        return set("started_at", at);
    }

    public InstanceChange finishedAt(Long at) {
        return set("finished_at", at);
    }

    public InstanceChange nextAttemptAt(Long at) {
        return set("next_attempt_at", at);
    }

    /**
     * This change followed by {@code next}, as one change: {@code next}'s state, and every column
     * either sets ({@code next}'s value where both set one).
     */
    public InstanceChange then(InstanceChange next) {
        InstanceChange both = new InstanceChange(next.to);
        both.sets.putAll(sets);
        both.sets.putAll(next.sets);
        return both;
    }

    /** The row as it is once this change is applied to it. */
    public InstanceRow applyTo(InstanceRow r) {
        return new InstanceRow(r.id(), r.appId(), r.jobId(), to, r.triggerKind(), r.scheduledAt(), r.params(),
            (Integer) sets.getOrDefault("attempt", r.attempt()), r.maxAttempts(),
            (String) sets.getOrDefault("worker_id", r.workerId()), (String) sets.getOrDefault("result", r.result()),
            (String) sets.getOrDefault("reason", r.reason()), r.ownerId(), r.epoch(), r.retryOf(), r.createdAt(),
            (Long) sets.getOrDefault("started_at", r.startedAt()), (Long) sets.getOrDefault("finished_at", r.finishedAt()),
            (Long) sets.getOrDefault("next_attempt_at", r.nextAttemptAt()), r.updatedAt());
    }

    private InstanceChange set(String column, Object value) {
        sets.put(column, value);
        return this;
    }

    Map<String, Object> sets() {
        return sets;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
