package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.Page;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print an instance's log as 'attempt seq time LEVEL text' lines, every attempt in order.")
final class InstanceLogsCommand extends ClientCommand {

    /** Lines asked for per call when printing the whole log. */
    static final int BATCH = 500;

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--offset", paramLabel = "N", description = "Lines to skip.")
    Integer offset;

    @Option(names = "--limit", paramLabel = "N", description = "Lines to print at most (default: all).")
    Integer limit;

    @Override
    void run(GnomonClient client, Output out) {
        int start = offset == null ? 0 : offset;
        Page<LogEntry> page = limit != null ? client.instances().log(id, start, limit) : all(client, start);
        if (out.json()) {
            out.printJson(page);
            return;
        }
        for (LogEntry entry : page.items()) {
            out.raw(String.format("%d %d %s %-5s %s", entry.attempt(), entry.seq(), Format.time(entry.at()),
                entry.level(), entry.text()));
        }
    }

    /** Reads page after page until the total the server reported at the start is reached or a page is empty. */
    private Page<LogEntry> all(GnomonClient client, int start) {
        List<LogEntry> lines = new ArrayList<>();
        Page<LogEntry> page;
        do {
            page = client.instances().log(id, start + lines.size(), BATCH);
            lines.addAll(page.items());
        } while (!page.items().isEmpty() && start + lines.size() < page.total());
        return new Page<>(lines, page.total(), start, lines.size());
    }
}
