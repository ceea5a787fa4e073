package dev.gnomon.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/** Readers for setting values, each failing with a message that says what would be right. */
final class Parsers {

    private Parsers() {
    }

    static Function<String, String> text() {
        return s -> s;
    }

    static Function<String, Integer> intBetween(int min, int max) {
        return s -> {
            int value;
            try {
                value = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("allowed " + min + " to " + max);
            }
            return value;
        };
    }

    static Function<String, Long> bytes() {
        return s -> {
            String v = s.toUpperCase(Locale.ROOT).replace(" ", "");
            long unit = 1;
            if (v.endsWith("KB") || v.endsWith("K")) {
                unit = 1024;
            } else if (v.endsWith("MB") || v.endsWith("M")) {
                unit = 1024 * 1024;
            } else if (v.endsWith("GB") || v.endsWith("G")) {
                unit = 1024L * 1024 * 1024;
            }
            String digits = v.replaceAll("[A-Z]+$", "");
            try {
                long value = Long.parseLong(digits) * unit;
                if (value <= 0) {
                    throw new IllegalArgumentException("must be positive");
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a size such as 1MB, 512KB or 1048576");
            }
        };
    }

    /** ISO-8601 ({@code PT15S}) or a short form ({@code 15s}, {@code 500ms}, {@code 2m}). */
    static Function<String, Duration> durationAtLeast(Duration min) {
        return s -> {
            Duration d = duration(s);
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException("must be at least " + min.toMillis() + "ms");
            }
            return d;
        };
    }

    static Duration duration(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("expected a duration such as 15s, 500ms, 2m or PT15S");
        }
    }
}
