package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one job.")
final class JobGetCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void run(GnomonClient client, Output out) {
        JobResource job = client.jobs().get(id);
        out.show(job, Views.job(job));
    }
}
