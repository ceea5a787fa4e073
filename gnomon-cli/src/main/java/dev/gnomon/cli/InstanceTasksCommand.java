package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.TaskCounts;
import dev.gnomon.protocol.api.TaskResource;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tasks", mixinStandardHelpOptions = true,
    description = "List an instance's task attempts (shards, broadcast tasks, retries), or count them by state.")
final class InstanceTasksCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--state", paramLabel = "STATE", split = ",",
        description = "Only attempts in this state; repeat or comma-separate for several. One of: waiting, "
            + "dispatched, running, succeeded, failed, timed_out, stopped, refused, worker_lost, superseded.")
    List<String> states = List.of();

    @Option(names = "--counts", description = "Print how many attempts are in each state instead.")
    boolean counts;

    @Mixin
    PageOptions page;

    @Override
    void run(GnomonClient client, Output out) {
        if (counts) {
            TaskCounts c = client.instances().taskCounts(id);
            Table table = new Table("STATE", "TASKS");
            c.byState().forEach((state, n) -> table.row(state, n));
            table.row("total", c.total());
            out.show(c, table);
            return;
        }
        List<String> wanted = states.stream().map(s -> s.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toList());
        Page<TaskResource> tasks = client.instances().tasks(id, wanted, page.offset, page.limit);
        out.showPage(tasks, Views.tasks(tasks.items()));
    }
}
