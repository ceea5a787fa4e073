package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppResource;
import dev.gnomon.protocol.api.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List apps.")
final class AppListCommand extends ClientCommand {

    @Mixin
    PageOptions page;

    @Override
    void run(GnomonClient client, Output out) {
        Page<AppResource> apps = client.apps().list(page.offset, page.limit);
        out.showPage(apps, Views.apps(apps.items()));
    }
}
