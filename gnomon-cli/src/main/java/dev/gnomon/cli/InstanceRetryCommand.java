package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "retry", mixinStandardHelpOptions = true,
    description = "Run an instance's job again with the same parameters; prints the new instance.")
final class InstanceRetryCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void run(GnomonClient client, Output out) {
        InstanceResource instance = client.instances().retry(id);
        out.show(instance, Views.instances(List.of(instance)));
    }
}
