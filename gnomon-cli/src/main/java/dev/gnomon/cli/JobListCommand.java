package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs.")
final class JobListCommand extends ClientCommand {

    @Option(names = "--app", paramLabel = "APP", description = "Only this app's jobs.")
    String app;

    @Mixin
    PageOptions page;

    @Override
    void run(GnomonClient client, Output out) {
        Page<JobResource> jobs = client.jobs().list(app, page.offset, page.limit);
        out.showPage(jobs, Views.jobs(jobs.items()));
    }
}
