package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Create a job.%nExample: gnomon job create --app billing --name nightly --processor shell "
        + "--params 'echo hi' --cron '0 0 2 * * ?' --tz Europe/Paris")
final class JobCreateCommand extends ClientCommand {

    @Option(names = "--app", paramLabel = "APP", required = true, description = "The app the job belongs to.")
    String app;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "Unique within the app.")
    String name;

    @Option(names = "--processor", paramLabel = "NAME", required = true,
        description = "A processor the app's workers have, such as shell.")
    String processor;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Schedule (one of):%n")
    ScheduleKind schedule;

    @Mixin
    JobOptions options;

    @Override
    void run(GnomonClient client, Output out) {
        options.validate();
        JobRequest request = new JobRequest(app, name, options.description, options.disabled ? Boolean.FALSE : null,
            processor, options.params, options.schedule(schedule.spec()), options.mode, options.maxConcurrent,
            options.overlap, options.retry.apply(null), options.timeout, options.modes.selection(null),
            options.modes.shards(null), options.modes.broadcast(null));
        JobResource job = client.jobs().create(request);
        out.show(job, Views.job(job));
    }
}
