package dev.gnomon.protocol.api;

import java.time.Duration;
import java.time.Instant;

/**
 * When a job runs.
 *
 * @param type         the kind of schedule
 * @param cron         for CRON: the expression
 * @param timeZone     for CRON: an IANA zone such as {@code Europe/Paris}; UTC when absent
 * @param every        for FIXED_RATE and FIXED_DELAY: the period, ISO-8601 such as {@code PT30S}
 * @param at           for ONE_SHOT: the instant
 * @param startAt      no fire before this instant (optional)
 * @param endAt        no fire after this instant (optional)
 * @param misfire      what to do with missed ticks; FIRE_ONCE when absent
 * @param misfireBound for FIRE_ALL: how many missed ticks to fire at most; 10 when absent
 */
public record ScheduleSpec(
    ScheduleType type,
    String cron,
    String timeZone,
    Duration every,
    Instant at,
    Instant startAt,
    Instant endAt,
    MisfirePolicy misfire,
    Integer misfireBound) {

    public static ScheduleSpec cron(String expression, String timeZone) {
        return new ScheduleSpec(ScheduleType.CRON, expression, timeZone, null, null, null, null, null, null);
    }

    public static ScheduleSpec fixedRate(Duration every) {
        return new ScheduleSpec(ScheduleType.FIXED_RATE, null, null, every, null, null, null, null, null);
    }

    public static ScheduleSpec fixedDelay(Duration every) {
        return new ScheduleSpec(ScheduleType.FIXED_DELAY, null, null, every, null, null, null, null, null);
    }

    public static ScheduleSpec oneShot(Instant at) {
        return new ScheduleSpec(ScheduleType.ONE_SHOT, null, null, null, at, null, null, null, null);
    }

    public static ScheduleSpec api() {
        return new ScheduleSpec(ScheduleType.API, null, null, null, null, null, null, null, null);
    }

    public ScheduleSpec withMisfire(MisfirePolicy policy, Integer bound) {
        return new ScheduleSpec(type, cron, timeZone, every, at, startAt, endAt, policy, bound);
    }

    public ScheduleSpec withWindow(Instant start, Instant end) {
        return new ScheduleSpec(type, cron, timeZone, every, at, start, end, misfire, misfireBound);
    }
}
