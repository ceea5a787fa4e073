package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one instance.")
final class InstanceGetCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void run(GnomonClient client, Output out) {
        InstanceResource instance = client.instances().get(id);
        out.show(instance, Views.instance(instance));
    }
}
