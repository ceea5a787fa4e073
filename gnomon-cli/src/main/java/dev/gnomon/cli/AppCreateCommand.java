package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppCreated;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create an app and print its secret, which workers use to join it.")
final class AppCreateCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME", description = "1-64 of letters, digits, '-', '_' and '.'.")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text.")
    String description;

    @Override
    void run(GnomonClient client, Output out) {
        AppCreated created = client.apps().create(name, description);
        out.show(created, Views.app(created.app()).add("secret", created.secret()));
        out.line("");
        out.line("The secret is shown this once; give it to the app's workers.");
    }
}
