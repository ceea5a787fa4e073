package dev.gnomon.server.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.gnomon.server.InvalidInputException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;

/**
 * A parsed cron expression, evaluated in a time zone.
 *
 * <p>Two forms are accepted, told apart by the number of fields:
 * <ul>
 *   <li>5 fields, the Unix form: {@code minute hour day-of-month month day-of-week}
 *       (day-of-week 0-7, 0 and 7 are Sunday; a day matches if day-of-month or day-of-week does);
 *   <li>6 or 7 fields, the Quartz form: {@code second minute hour day-of-month month day-of-week
 *       [year]} (day-of-week 1-7, 1 is Sunday; one of the two day fields must be {@code ?}).
 * </ul>
 *
 * <p>The expression matches wall-clock times; Gnomon turns them into instants by these rules:
 * <ol>
 *   <li><b>Spring-forward gap.</b> A wall-clock time that does not exist on that day fires once, at
 *       the instant the gap ends. Daily {@code 30 2 * * *} in Europe/Paris fires on the last
 *       Sunday of March at 03:00 local (01:00Z). All the times of one gap share that instant, and
 *       so does a real tick at the gap's end (03:00): that instant fires once, never twice.
 *   <li><b>Autumn repeated hour.</b> Each wall-clock time fires once, at its first occurrence (the
 *       earlier offset). During the second pass through the repeated hour nothing fires, so a job
 *       every 15 minutes fires 02:00, 02:15, 02:30, 02:45 at +02:00 and next at 03:00 +01:00 in
 *       Europe/Paris.
 * </ol>
 * cron-utils alone drops ticks in the gap and fires the repeated hour twice; this class matches
 * wall-clock times with cron-utils in a zone without transitions and applies the rules above
 * itself. Instances are immutable and safe to share between threads.
 */
public final class CronExpression {

    private final String expression;
    private final ExecutionTime executionTime;

    private CronExpression(String expression, ExecutionTime executionTime) {
        this.expression = expression;
        this.executionTime = executionTime;
    }

    /**
     * Parses a cron expression in the Unix (5 fields) or Quartz (6 or 7 fields) form.
     *
     * @throws InvalidInputException on field {@code schedule.cron}, with a message that names the
     *     faulty field and what it allows
     */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException(CronErrors.FIELD, "cron expression is empty; " + CronForm.ALLOWED);
        }
        String trimmed = expression.trim();
        String[] fields = trimmed.split("\\s+");
        CronForm form = CronForm.forFieldCount(fields.length);
        if (form == null) {
            throw new InvalidInputException(CronErrors.FIELD, "cron expression '" + trimmed + "' has "
                + fields.length + " field" + (fields.length == 1 ? "" : "s") + "; " + CronForm.ALLOWED);
        }
        Cron cron;
        try {
            cron = new CronParser(form.definition()).parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw CronErrors.translate(trimmed, fields, form, e);
        }
        return new CronExpression(trimmed, ExecutionTime.forCron(cron));
    }

    /**
     * The first fire time strictly after {@code after}, with the wall-clock fields matched in
     * {@code zone} and the daylight-saving rules of this class applied; empty if there is none
     * (the expression names a past year, or a date that never comes such as 31 February).
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        return nextLocal(searchStart(after, zone)).map(local -> toInstant(local, zone));
    }

    /** The expression as given, without surrounding blanks. */
    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return "CronExpression[" + expression + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronExpression that && expression.equals(that.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    /** The next matching wall-clock time strictly after {@code local}. */
    private Optional<LocalDateTime> nextLocal(LocalDateTime local) {
        // cron-utils keeps the fraction of a second in what it returns; ticks are whole seconds.
        LocalDateTime start = local.truncatedTo(ChronoUnit.SECONDS);
        return executionTime.nextExecution(start.atZone(ZoneOffset.UTC)).map(t -> t.toLocalDateTime());
    }

    /**
     * The wall-clock time after which to search so that every match maps to an instant strictly
     * after {@code after}. Only the second pass through a repeated hour needs care: its
     * wall-clock times fired during the first pass, so the search resumes where the hour ends.
     */
    static LocalDateTime searchStart(Instant after, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        LocalDateTime local = LocalDateTime.ofInstant(after, zone);
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 2 && rules.getOffset(after).equals(offsets.get(1))) {
            ZoneOffsetTransition overlap = rules.getTransition(local);
            return overlap.getDateTimeBefore().minusNanos(1);
        }
        return local;
    }

    /** Maps a wall-clock time to the instant it fires at, by the rules in the class comment. */
    static Instant toInstant(LocalDateTime local, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        return local.toInstant(offsets.get(0));
    }
}
