package dev.gnomon.cli;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.RetrySpec;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a failed job is tried again. */
final class RetryOptions {

    /** Keeps the uncapped exponential delay finite: 2^16 times the first delay is far beyond any useful wait. */
    private static final int MAX_DOUBLINGS = 16;

    @Option(names = "--retries", paramLabel = "N", description = "Retries after a failed or timed-out attempt (default 0).")
    Integer retries;

    @Option(names = "--backoff", paramLabel = "KIND", description = "fixed (default) or exponential.")
    BackoffKind backoff;

    @Option(names = "--retry-delay", paramLabel = "DURATION", description = "Wait before the first retry (default 1s).")
    Duration delay;

    @Option(names = "--retry-max-delay", paramLabel = "DURATION",
        description = "Cap of the exponential wait (default: no cap).")
    Duration maxDelay;

    void validate(CommandSpec command) {
        if (retries != null && retries < 0) {
            throw new ParameterException(command.commandLine(),
                "Invalid value for option '--retries': " + retries + " is negative");
        }
        if (delay != null && maxDelay != null && maxDelay.compareTo(delay) < 0) {
            throw new ParameterException(command.commandLine(), "Option '--retry-max-delay' must not be less than '--retry-delay'");
        }
    }

    /** {@code current} with the options given; {@code null} when nothing was given and nothing is current. */
    RetrySpec apply(RetrySpec current) {
        if (retries == null && backoff == null && delay == null && maxDelay == null) {
            return current;
        }
        RetrySpec base = current != null ? current : RetrySpec.none();
        int n = JobOptions.or(retries, base.maxRetries());
        BackoffKind kind = JobOptions.or(backoff, base.backoff());
        Duration first = JobOptions.or(delay, base.delay());
        Duration cap = maxDelay != null ? maxDelay
            : current != null && delay == null ? current.maxDelay()
            : kind == BackoffKind.EXPONENTIAL ? first.multipliedBy(1L << Math.min(Math.max(n - 1, 0), MAX_DOUBLINGS))
            : first;
        return new RetrySpec(n, kind, first, cap);
    }
}
