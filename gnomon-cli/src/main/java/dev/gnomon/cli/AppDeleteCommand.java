package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete an app. Refused while it has jobs, unless --force.")
final class AppDeleteCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--force", description = "Delete the app's jobs and their history too.")
    boolean force;

    @Override
    void run(GnomonClient client, Output out) {
        client.apps().delete(name, force);
        out.line("deleted app " + name);
    }
}
