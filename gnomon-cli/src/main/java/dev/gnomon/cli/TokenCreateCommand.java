package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.TokenCreated;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create an API token for the calling user and print it.")
final class TokenCreateCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME", description = "What the token is for, such as ci or laptop.")
    String name;

    @Override
    void run(GnomonClient client, Output out) {
        TokenCreated created = client.tokens().create(name);
        out.show(created, new Details()
            .add("id", created.id())
            .add("name", created.name())
            .add("token", created.token())
            .add("created", created.createdAt()));
        out.line("");
        out.line("The token is shown this once; use it with --token or GNOMON_TOKEN.");
    }
}
