package dev.gnomon.server.schedule;

import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ScheduleType;
import dev.gnomon.server.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The evaluated schedule of one job: when it fires, within its start and end bounds.
 *
 * <ul>
 *   <li>CRON: the ticks of the expression in the schedule's zone (see {@link CronExpression}).
 *   <li>FIXED_RATE: {@code startAt + k * every}, or {@code anchor + k * every} without startAt,
 *       for k &ge; 0; the anchor is the job's creation time.
 *   <li>FIXED_DELAY: {@code every} after the end of the previous run; the first run is at startAt,
 *       or {@code anchor + every} without startAt.
 *   <li>ONE_SHOT: once, at {@code at}.
 *   <li>API: never by itself, only when triggered through the API.
 * </ul>
 * No tick falls before startAt or after endAt. Instances are immutable.
 */
public final class Schedule {

    /** The misfire bound when the spec gives none. */
    public static final int DEFAULT_MISFIRE_BOUND = 10;
    /** The most fire times one preview returns. */
    public static final int MAX_PREVIEW = 100;

    private final ScheduleSpec spec;
    private final Instant anchor;
    private final ZoneId zone;
    private final CronExpression cron;

    private Schedule(ScheduleSpec spec, Instant anchor, ZoneId zone, CronExpression cron) {
        this.spec = spec;
        this.anchor = anchor;
        this.zone = zone;
        this.cron = cron;
    }

    /**
     * Validates {@code spec} and evaluates it.
     *
     * @param anchor the job's creation time, from which ticks count when the spec has no startAt
     * @throws InvalidInputException naming the spec field at fault, such as {@code schedule.every}
     */
    public static Schedule of(ScheduleSpec spec, Instant anchor) {
        Objects.requireNonNull(anchor, "anchor");
        ScheduleValidation.check(spec);
        if (spec.type() != ScheduleType.CRON) {
            return new Schedule(spec, anchor, ScheduleValidation.UTC, null);
        }
        ZoneId zone = ScheduleValidation.zone(spec.timeZone());
        return new Schedule(spec, anchor, zone, CronExpression.parse(spec.cron()));
    }

    /**
     * The first fire time strictly after {@code after}, or empty when the schedule fires no more.
     * For FIXED_DELAY pass the end time of the previous run (any instant before the first run
     * gives the first run).
     */
    public Optional<Instant> nextAfter(Instant after) {
        Optional<Instant> next = switch (spec.type()) {
            case CRON -> cron.nextAfter(notBeforeStart(after), zone);
            case FIXED_RATE -> Optional.of(nextRateTick(after));
            case FIXED_DELAY -> Optional.of(after.isBefore(firstDelayRun()) ? firstDelayRun() : after.plus(spec.every()));
            case ONE_SHOT -> Optional.of(spec.at()).filter(at -> at.isAfter(after));
            case API -> Optional.empty();
        };
        return next.filter(t -> spec.endAt() == null || !t.isAfter(spec.endAt()));
    }

    /** True when the next fire depends on when the previous run ended: FIXED_DELAY only. */
    public boolean drivenByCompletion() {
        return spec.type() == ScheduleType.FIXED_DELAY;
    }

    /**
     * The next {@code count} fire times after {@code from}, fewer if the schedule ends. For
     * FIXED_DELAY the preview assumes that each run takes no time.
     *
     * @throws InvalidInputException on field {@code count} unless it is 1-100
     */
    public List<Instant> preview(Instant from, int count) {
        if (count < 1 || count > MAX_PREVIEW) {
            throw new InvalidInputException("count", "count is " + count + "; allowed 1-" + MAX_PREVIEW);
        }
        List<Instant> times = new ArrayList<>(count);
        Optional<Instant> next = nextAfter(from);
        while (next.isPresent() && times.size() < count) {
            times.add(next.get());
            next = nextAfter(next.get());
        }
        return List.copyOf(times);
    }

    /** The zone cron ticks are evaluated in; UTC for the other types. */
    public ZoneId zone() {
        return zone;
    }

    /** What to do with missed ticks; FIRE_ONCE when the spec gives none. */
    public MisfirePolicy misfirePolicy() {
        return spec.misfire() == null ? MisfirePolicy.FIRE_ONCE : spec.misfire();
    }

    /** For FIRE_ALL, how many missed ticks to fire at most; 10 when the spec gives none. */
    public int misfireBound() {
        return spec.misfireBound() == null ? DEFAULT_MISFIRE_BOUND : spec.misfireBound();
    }

    /** The spec this schedule was evaluated from. */
    public ScheduleSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "Schedule[" + spec + ", anchor=" + anchor + "]";
    }

    private Instant notBeforeStart(Instant after) {
        Instant start = spec.startAt();
        return start != null && after.isBefore(start) ? start.minusNanos(1) : after;
    }

    private Instant nextRateTick(Instant after) {
        Instant base = spec.startAt() != null ? spec.startAt() : anchor;
        if (after.isBefore(base)) {
            return base;
        }
        Duration elapsed = Duration.between(base, after);
        long periods;
        try {
            periods = elapsed.toNanos() / spec.every().toNanos();
        } catch (ArithmeticException tooLongForNanos) {
            periods = elapsed.dividedBy(spec.every());
        }
        return base.plus(spec.every().multipliedBy(periods + 1));
    }

    private Instant firstDelayRun() {
        return spec.startAt() != null ? spec.startAt() : anchor.plus(spec.every());
    }
}
