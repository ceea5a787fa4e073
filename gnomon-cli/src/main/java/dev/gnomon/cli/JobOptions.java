package dev.gnomon.cli;

import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The optional parts of a job that create and update share. Absent options keep the default (or current) value. */
final class JobOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(names = "--params", paramLabel = "TEXT", description = "Processor parameters (for shell: the script).")
    String params;

    @Option(names = "--mode", paramLabel = "MODE",
        description = "standalone (default), broadcast, sharding, map or map-reduce.")
    ExecutionMode mode;

    @Option(names = "--start", paramLabel = "INSTANT", description = "No run before this instant.")
    Instant start;

    @Option(names = "--end", paramLabel = "INSTANT", description = "No run after this instant.")
    Instant end;

    @Option(names = "--misfire", paramLabel = "POLICY",
        description = "Missed ticks after downtime: fire-once (default), skip or fire-all.")
    MisfirePolicy misfire;

    @Option(names = "--misfire-bound", paramLabel = "N", description = "With fire-all: fire at most N missed ticks.")
    Integer misfireBound;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "Live instances allowed at once (default 1).")
    Integer maxConcurrent;

    @Option(names = "--overlap", paramLabel = "POLICY",
        description = "When at the limit: skip (default) the tick, or queue it.")
    OverlapPolicy overlap;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Longest run of one attempt; 0 for none.")
    Duration timeout;

    @Option(names = "--disabled", description = "Keep the schedule from firing (see gnomon job enable).")
    boolean disabled;

    @Mixin
    RetryOptions retry;

    @Mixin
    ModeOptions modes;

    /** Checks ranges picocli cannot express, naming the option at fault. */
    void validate() {
        atLeast("--misfire-bound", misfireBound, 1);
        atLeast("--max-concurrent", maxConcurrent, 1);
        retry.validate(command);
        if (timeout != null && timeout.isNegative()) {
            throw new ParameterException(command.commandLine(), "Invalid value for option '--timeout': must not be negative");
        }
        if (start != null && end != null && !end.isAfter(start)) {
            throw new ParameterException(command.commandLine(), "Option '--end' must be after '--start'");
        }
    }

    private void atLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw new ParameterException(command.commandLine(),
                "Invalid value for option '" + option + "': " + value + " is less than " + min);
        }
    }

    /** {@code base} with the window and misfire options given on the command line. */
    ScheduleSpec schedule(ScheduleSpec base) {
        return base
            .withWindow(or(start, base.startAt()), or(end, base.endAt()))
            .withMisfire(or(misfire, base.misfire()), or(misfireBound, base.misfireBound()));
    }

    static <T> T or(T given, T current) {
        return given != null ? given : current;
    }
}
