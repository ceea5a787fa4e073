package dev.gnomon.cli;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.OverlapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value types: ISO-8601 (or short) durations, instants, zones, and enums written as {@code fire-once}. */
final class Converters {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Converters() {
    }

    static void register(CommandLine commandLine) {
        commandLine
            .registerConverter(Duration.class, Converters::duration)
            .registerConverter(Instant.class, Converters::instant)
            .registerConverter(ZoneId.class, Converters::zone)
            .registerConverter(MisfirePolicy.class, new EnumConverter<>(MisfirePolicy.class))
            .registerConverter(OverlapPolicy.class, new EnumConverter<>(OverlapPolicy.class))
            .registerConverter(BackoffKind.class, new EnumConverter<>(BackoffKind.class))
            .registerConverter(ExecutionMode.class, new EnumConverter<>(ExecutionMode.class))
            .registerConverter(InstanceState.class, new EnumConverter<>(InstanceState.class))
            .registerConverter(dev.gnomon.protocol.api.SelectionStrategy.class,
                new EnumConverter<>(dev.gnomon.protocol.api.SelectionStrategy.class))
            .registerConverter(dev.gnomon.protocol.api.BroadcastRule.class,
                new EnumConverter<>(dev.gnomon.protocol.api.BroadcastRule.class));
    }

    /** ISO-8601 ({@code PT30S}, {@code P1D}) {@code 0}, or a short form ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms}). */
    static Duration duration(String text) {
        String value = text.strip();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw notDuration(text);
            }
        }
        Matcher matcher = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw notDuration(text);
        }
        return total;
    }

    private static TypeConversionException notDuration(String text) {
        return new TypeConversionException("'" + text + "' is not a duration; use ISO-8601 such as PT30S, or 30s, 5m, 1h");
    }

    /** An ISO-8601 instant: {@code 2026-12-01T10:00:00Z}, or with an offset such as {@code +01:00}. */
    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not an instant; use ISO-8601 such as 2026-12-01T10:00:00Z");
        }
    }

    static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + text + "' is not a time zone; use an IANA name such as Europe/Paris or UTC");
        }
    }

    /** The lower-case, dashed spelling of an enum constant, as options take and tables show it. */
    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts {@code fire-once}, {@code FIRE_ONCE} or {@code fire_once}; names the choices when the value is none. */
    static final class EnumConverter<E extends Enum<E>> implements ITypeConverter<E> {

        private final Class<E> type;

        EnumConverter(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String text) {
            String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(name)) {
                    return constant;
                }
            }
            String choices = Arrays.stream(type.getEnumConstants()).map(Converters::spelling)
                .collect(Collectors.joining(", "));
            throw new TypeConversionException("'" + text + "' is not one of " + choices);
        }
    }
}
