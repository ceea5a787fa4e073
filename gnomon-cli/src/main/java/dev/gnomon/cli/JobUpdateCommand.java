package dev.gnomon.cli;

import static dev.gnomon.cli.JobOptions.or;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Changes only what is given: reads the job, applies the options, and sends the whole definition
 * back, because the API replaces a job as a whole.
 */
@Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Change a job; options not given keep their current value.")
final class JobUpdateCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--app", paramLabel = "APP")
    String app;

    @Option(names = "--name", paramLabel = "NAME")
    String name;

    @Option(names = "--processor", paramLabel = "NAME")
    String processor;

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Schedule (one of; default: unchanged):%n")
    ScheduleKind schedule;

    @Mixin
    JobOptions options;

    @Override
    void run(GnomonClient client, Output out) {
        options.validate();
        JobResource current = client.jobs().get(id);
        JobRequest request = new JobRequest(
            or(app, current.app()),
            or(name, current.name()),
            or(options.description, current.description()),
            options.disabled ? Boolean.FALSE : current.enabled(),
            or(processor, current.processor()),
            or(options.params, current.params()),
            options.schedule(schedule(current.schedule())),
            or(options.mode, current.mode()),
            or(options.maxConcurrent, current.maxConcurrent()),
            or(options.overlap, current.overlap()),
            options.retry.apply(current.retry()),
            or(options.timeout, current.timeout()),
            options.modes.selection(current.selection()),
            options.modes.shards(current.shards()),
            options.modes.broadcast(current.broadcast()));
        JobResource job = client.jobs().update(id, request);
        out.show(job, Views.job(job));
    }

    /** A new kind of schedule keeps the current window and misfire policy. */
    private ScheduleSpec schedule(ScheduleSpec current) {
        if (schedule == null) {
            return current;
        }
        ScheduleSpec spec = schedule.spec();
        return current == null ? spec
            : spec.withWindow(current.startAt(), current.endAt()).withMisfire(current.misfire(), current.misfireBound());
    }
}
