package dev.gnomon.cli;

import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How single values read in tables: times in ISO UTC to the second, absent values as "-". */
final class Format {

    private Format() {
    }

    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Instant instant) {
            return time(instant);
        }
        if (value instanceof Boolean yes) {
            return yes ? "yes" : "no";
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        String text = value.toString();
        return text.isEmpty() ? "-" : text;
    }

    static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** One line saying when a job runs, such as {@code cron 0 0 2 * * ? Europe/Paris} or {@code every PT30S}. */
    static String schedule(ScheduleSpec schedule) {
        if (schedule == null || schedule.type() == null) {
            return "-";
        }
        return switch (schedule.type()) {
            case CRON -> "cron " + schedule.cron() + (schedule.timeZone() == null ? "" : " " + schedule.timeZone());
            case FIXED_RATE -> "every " + schedule.every();
            case FIXED_DELAY -> "delay " + schedule.every();
            case ONE_SHOT -> "at " + time(schedule.at());
            case API -> "api only";
        };
    }

    /** The first line of a possibly long text, cut to {@code max} characters, for table cells. */
    static String brief(String text, int max) {
        if (text == null) {
            return null;
        }
        String first = text.strip().lines().findFirst().orElse("");
        boolean cut = first.length() > max || text.strip().contains("\n");
        return cut ? first.substring(0, Math.min(first.length(), max)) + "..." : first;
    }
}
