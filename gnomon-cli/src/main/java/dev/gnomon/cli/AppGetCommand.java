package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one app.")
final class AppGetCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void run(GnomonClient client, Output out) {
        AppResource app = client.apps().get(name);
        out.show(app, Views.app(app));
    }
}
