package dev.gnomon.server.schedule;

import com.cronutils.parser.CronParser;
import dev.gnomon.server.InvalidInputException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns cron-utils' parse errors into messages that name the field and what it allows. */
final class CronErrors {

    static final String FIELD = "schedule.cron";

    private static final Pattern VALUE = Pattern.compile("Value (\\S+) not in range");
    private static final Pattern PERIOD = Pattern.compile("Period (\\S+) not in range");
    private static final Pattern CHARS = Pattern.compile("Invalid chars: (\\S+)");
    private static final String PREFIX = "Failed to parse cron expression. ";

    private CronErrors() {
    }

    static InvalidInputException translate(String expression, String[] fields, CronForm form, IllegalArgumentException e) {
        // cron-utils does not say which field failed, so each field is parsed alone to find it.
        for (int i = 0; i < fields.length; i++) {
            String failure = failureOfFieldAlone(fields, i, form);
            if (failure != null) {
                return new InvalidInputException(FIELD, fieldMessage(form, i, fields[i], failure));
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Both, a day-of-week AND a day-of-month")) {
            return new InvalidInputException(FIELD, "cron expression '" + expression + "' sets both day-of-month and"
                + " day-of-week; in the Quartz form one of them must be '?', e.g. '0 30 2 * * ?'");
        }
        return new InvalidInputException(FIELD, "cron expression '" + expression + "' is invalid: " + clean(message));
    }

    private static String failureOfFieldAlone(String[] fields, int index, CronForm form) {
        if (fields[index].equals("?")) {
            return null;
        }
        String[] probe = new String[fields.length];
        Arrays.fill(probe, "*");
        if (form == CronForm.QUARTZ) {
            probe[0] = "0";
            probe[5] = index == 5 ? "*" : "?";
            probe[3] = index == 5 ? "?" : "*";
        }
        probe[index] = fields[index];
        try {
            new CronParser(form.definition()).parse(String.join(" ", probe)).validate();
            return null;
        } catch (IllegalArgumentException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static String fieldMessage(CronForm form, int index, String raw, String failure) {
        String name = "cron field '" + form.fieldName(index) + "'";
        String allowed = form.allowed(index);
        Matcher value = VALUE.matcher(failure);
        if (value.find()) {
            String found = value.group(1);
            return found.equals(raw)
                ? name + " is " + raw + "; allowed " + allowed
                : name + " is '" + raw + "'; " + found + " is outside the allowed " + allowed;
        }
        Matcher period = PERIOD.matcher(failure);
        if (period.find()) {
            return name + " is '" + raw + "'; the step " + period.group(1) + " is not allowed, use a step of 1-"
                + form.end(index);
        }
        Matcher chars = CHARS.matcher(failure);
        if (chars.find() || failure.contains("Invalid expression") || failure.contains("Missing values")) {
            return name + " is '" + raw + "'; use a value in " + allowed
                + ", '*', a range (1-5), a list (1,3,5) or a step (*/5)";
        }
        return name + " is '" + raw + "': " + clean(failure);
    }

    private static String clean(String message) {
        return message.startsWith(PREFIX) ? message.substring(PREFIX.length()) : message;
    }
}
