package dev.gnomon.server.schedule;

import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ScheduleType;
import dev.gnomon.server.InvalidInputException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;

/** Checks a {@link ScheduleSpec}; every rejection names the request field at fault. */
final class ScheduleValidation {

    static final Duration MIN_EVERY = Duration.ofSeconds(1);
    static final int MAX_MISFIRE_BOUND = 1000;
    /** The region, not ZoneOffset.UTC: the offset's id "Z" is stored with the job and is no IANA id to read back. */
    static final ZoneId UTC = ZoneId.of("UTC");

    private ScheduleValidation() {
    }

    static void check(ScheduleSpec spec) {
        if (spec == null) {
            throw new InvalidInputException("schedule", "schedule is required");
        }
        ScheduleType type = spec.type();
        if (type == null) {
            throw new InvalidInputException("schedule.type",
                "schedule type is required; one of " + Arrays.toString(ScheduleType.values()));
        }
        rejectForeign(spec, type);
        switch (type) {
            case CRON -> {
                if (spec.cron() == null || spec.cron().isBlank()) {
                    throw new InvalidInputException("schedule.cron",
                        "a CRON schedule needs a cron expression, e.g. '30 2 * * *' or '0 30 2 * * ?'");
                }
            }
            case FIXED_RATE, FIXED_DELAY -> checkEvery(type, spec.every());
            case ONE_SHOT -> {
                if (spec.at() == null) {
                    throw new InvalidInputException("schedule.at",
                        "a ONE_SHOT schedule needs 'at', the instant to run, e.g. 2030-01-01T09:00:00Z");
                }
            }
            case API -> { }
        }
        if (spec.startAt() != null && spec.endAt() != null && !spec.endAt().isAfter(spec.startAt())) {
            throw new InvalidInputException("schedule.endAt",
                "endAt " + spec.endAt() + " must be after startAt " + spec.startAt());
        }
        Integer bound = spec.misfireBound();
        if (bound != null && (bound < 1 || bound > MAX_MISFIRE_BOUND)) {
            throw new InvalidInputException("schedule.misfireBound",
                "misfireBound is " + bound + "; allowed 1-" + MAX_MISFIRE_BOUND);
        }
        if (bound != null && spec.misfire() != MisfirePolicy.FIRE_ALL) {
            throw new InvalidInputException("schedule.misfireBound",
                "misfireBound applies only to misfire FIRE_ALL; remove it or set misfire to FIRE_ALL");
        }
    }

    /** The zone of a CRON schedule: UTC when absent, else a known IANA id. */
    static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return UTC;
        }
        if (ZoneId.getAvailableZoneIds().contains(timeZone)) {
            return ZoneId.of(timeZone);
        }
        String hint = ZoneId.getAvailableZoneIds().stream()
            .filter(id -> id.equalsIgnoreCase(timeZone.trim()))
            .findFirst()
            .map(id -> "; did you mean " + id + "?")
            .orElse("; use an IANA time zone id such as Europe/Paris, America/New_York or UTC");
        throw new InvalidInputException("schedule.timeZone", "time zone '" + timeZone + "' is unknown" + hint);
    }

    private static void checkEvery(ScheduleType type, Duration every) {
        if (every == null) {
            throw new InvalidInputException("schedule.every", "a " + type + " schedule needs 'every', an ISO-8601"
                + " duration of at least 1 second such as PT30S");
        }
        if (every.compareTo(MIN_EVERY) < 0) {
            throw new InvalidInputException("schedule.every",
                "every is " + every + "; it must be at least 1 second (PT1S)");
        }
    }

    private static void rejectForeign(ScheduleSpec spec, ScheduleType type) {
        boolean cron = type == ScheduleType.CRON;
        boolean periodic = type == ScheduleType.FIXED_RATE || type == ScheduleType.FIXED_DELAY;
        boolean oneShot = type == ScheduleType.ONE_SHOT;
        boolean api = type == ScheduleType.API;
        reject(type, "cron", spec.cron() != null && !cron);
        reject(type, "timeZone", spec.timeZone() != null && !cron);
        reject(type, "every", spec.every() != null && !periodic);
        reject(type, "at", spec.at() != null && !oneShot);
        reject(type, "startAt", spec.startAt() != null && (oneShot || api));
        reject(type, "endAt", spec.endAt() != null && (oneShot || api));
        reject(type, "misfire", spec.misfire() != null && api);
        reject(type, "misfireBound", spec.misfireBound() != null && api);
    }

    private static void reject(ScheduleType type, String field, boolean present) {
        if (present) {
            throw new InvalidInputException("schedule." + field,
                "'" + field + "' does not apply to a " + type + " schedule; remove it");
        }
    }
}
