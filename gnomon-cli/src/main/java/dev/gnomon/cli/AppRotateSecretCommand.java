package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppCreated;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rotate-secret", mixinStandardHelpOptions = true,
    description = "Give an app a new secret. The old one stops working at once: update the workers.")
final class AppRotateSecretCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void run(GnomonClient client, Output out) {
        AppCreated created = client.apps().rotateSecret(name);
        out.show(created, new Details().add("app", created.app().name()).add("secret", created.secret()));
        out.line("");
        out.line("The secret is shown this once; workers with the old one can no longer join.");
    }
}
