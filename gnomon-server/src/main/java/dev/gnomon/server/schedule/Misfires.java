package dev.gnomon.server.schedule;

import dev.gnomon.protocol.api.MisfirePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a schedule's misfire policy to the first tick not yet fired, after downtime or a
 * failover. Pure: the caller passes the current time.
 */
public final class Misfires {

    /** How many missed ticks are counted from the due tick before counting stops. */
    public static final int MAX_SCAN = 100_000;

    private Misfires() {
    }

    /**
     * Decides what to fire for the tick {@code due} at time {@code now}.
     *
     * <p>When {@code now - due <= threshold} the tick is on time: it fires, and {@code next} is
     * the tick after it. Otherwise every tick in [due, now] was missed, and the policy says which
     * fire now: FIRE_ONCE one instance keyed by the latest missed tick, SKIP none, FIRE_ALL the
     * latest {@link Schedule#misfireBound()} missed ticks, oldest first; {@code next} is the first
     * tick after now.
     *
     * <p>A schedule {@link Schedule#drivenByCompletion() driven by completion} (FIXED_DELAY) has
     * one missed tick at most, since without runs no completions made more: it fires once now
     * (nothing under SKIP), and {@code next} assumes that run ends at once. The scheduler replaces
     * it with {@code nextAfter(end of run)} when the run ends.
     */
    public static MisfireDecision resolve(Schedule schedule, Instant due, Instant now, Duration threshold) {
        return resolve(schedule, due, now, threshold, MAX_SCAN);
    }

    static MisfireDecision resolve(Schedule schedule, Instant due, Instant now, Duration threshold, long maxScan) {
        Objects.requireNonNull(schedule, "schedule");
        if (due.isAfter(now)) {
            return new MisfireDecision(List.of(), Optional.of(due), 0, 0);
        }
        boolean completion = schedule.drivenByCompletion();
        if (Duration.between(due, now).compareTo(threshold) <= 0) {
            return new MisfireDecision(List.of(due), schedule.nextAfter(completion ? now : due), 0, 0);
        }
        MisfirePolicy policy = schedule.misfirePolicy();
        if (completion) {
            List<Instant> fire = policy == MisfirePolicy.SKIP ? List.of() : List.of(due);
            return new MisfireDecision(fire, schedule.nextAfter(now), 1, 1 - fire.size());
        }
        int keep = switch (policy) {
            case FIRE_ONCE -> 1;
            case SKIP -> 0;
            case FIRE_ALL -> schedule.misfireBound();
        };
        MissedTicks missed = MissedTicks.scan(schedule, due, now, keep, maxScan);
        return new MisfireDecision(missed.latest(), schedule.nextAfter(now), missed.count(),
            missed.count() - missed.latest().size());
    }
}
