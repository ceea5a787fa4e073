package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobResource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop a job's schedule from firing; running instances go on.")
final class JobDisableCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void run(GnomonClient client, Output out) {
        JobResource job = client.jobs().disable(id);
        out.show(job, Views.jobs(List.of(job)));
    }
}
