package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a job.")
final class JobDeleteCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void run(GnomonClient client, Output out) {
        client.jobs().delete(id);
        out.line("deleted job " + id);
    }
}
