package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.Page;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List instances, newest first.")
final class InstanceListCommand extends ClientCommand {

    @Option(names = "--app", paramLabel = "APP", description = "Only this app's instances.")
    String app;

    @Option(names = "--job", paramLabel = "ID", description = "Only this job's instances.")
    Long job;

    @Option(names = "--state", paramLabel = "STATE",
        description = "Only instances in this state; repeat for several. One of: waiting, dispatched, running, "
            + "succeeded, failed, stopped, timed-out, skipped.")
    List<InstanceState> states = List.of();

    @Mixin
    PageOptions page;

    @Override
    void run(GnomonClient client, Output out) {
        InstanceQuery query = InstanceQuery.all()
            .withApp(app)
            .withJob(job)
            .withStates(states.isEmpty() ? EnumSet.noneOf(InstanceState.class) : EnumSet.copyOf(states))
            .withOffset(page.offset)
            .withLimit(page.limit);
        Page<InstanceResource> instances = client.instances().list(query);
        out.showPage(instances, Views.instances(instances.items()));
    }
}
