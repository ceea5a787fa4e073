package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobResource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a job's schedule fire.")
final class JobEnableCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void run(GnomonClient client, Output out) {
        JobResource job = client.jobs().enable(id);
        out.show(job, Views.jobs(List.of(job)));
    }
}
