package dev.gnomon.cli;

import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The one kind of schedule a job has; picocli enforces that at most one is given. */
final class ScheduleKind {

    @ArgGroup(exclusive = false)
    Cron cron;

    @Option(names = "--every", paramLabel = "DURATION",
        description = "Run at a fixed rate, such as PT30S or 5m.")
    Duration every;

    @Option(names = "--delay", paramLabel = "DURATION",
        description = "Run this long after the previous run ended.")
    Duration delay;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Run once, such as 2026-12-01T10:00:00Z.")
    Instant at;

    @Option(names = "--api-only", description = "Run only when asked (gnomon job run).")
    boolean apiOnly;

    static final class Cron {

        @Option(names = "--cron", paramLabel = "EXPR", required = true,
            description = "Cron expression: Quartz with seconds ('0 0 2 * * ?') or 5-field Unix ('0 2 * * *').")
        String expression;

        @Option(names = "--tz", paramLabel = "ZONE", description = "IANA zone the cron is read in (default UTC).")
        ZoneId zone;
    }

    ScheduleSpec spec() {
        if (cron != null) {
            return ScheduleSpec.cron(cron.expression, cron.zone == null ? null : cron.zone.getId());
        }
        if (every != null) {
            return ScheduleSpec.fixedRate(every);
        }
        if (delay != null) {
            return ScheduleSpec.fixedDelay(delay);
        }
        if (at != null) {
            return ScheduleSpec.oneShot(at);
        }
        return ScheduleSpec.api();
    }
}
