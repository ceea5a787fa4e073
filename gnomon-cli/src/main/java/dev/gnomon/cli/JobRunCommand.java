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

    @Override
    void run(GnomonClient client, Output out) {
        InstanceResource instance = client.jobs().run(id, params);
        out.show(instance, Views.instances(List.of(instance)));
    }
}
