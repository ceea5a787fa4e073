package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job now and print the new instance.")
final class JobRunCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--params", paramLabel = "TEXT", description = "Parameters for this run instead of the job's.")
    String params;

    @Option(names = "--key", paramLabel = "KEY", description = "An idempotency key (1-64 characters of A-Z, a-z,"
        + " 0-9, '-', '_', '.', ':'): the same command run again with the same key prints the instance the first"
        + " one made and makes none. Without it, each command is a new run.")
    String key;

    @Override
    void run(GnomonClient client, Output out) {
        InstanceResource instance = key == null ? client.jobs().run(id, params) : client.jobs().run(id, params, key);
        out.show(instance, Views.instances(List.of(instance)));
    }
}
