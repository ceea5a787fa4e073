package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.Page;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Print an instance's log as 'attempt seq time LEVEL text' lines, every attempt in order.",
        "With -f, follow it live and exit when the instance ends: 0 when it SUCCEEDED, "
            + InstanceLogsCommand.NOT_SUCCEEDED + " otherwise."})
final class InstanceLogsCommand extends ClientCommand {

    /** Lines asked for per call when printing the whole log. */
    static final int BATCH = 500;
    /** Exit code of {@code -f} when the instance ended in another state than SUCCEEDED. */
    static final int NOT_SUCCEEDED = 4;

    @Option(names = {"-f", "--follow"}, description = "Follow the log live until the instance ends.")
    boolean follow;

    @Option(names = "--level", paramLabel = "LEVEL",
        description = "Only lines at this level or above: DEBUG, INFO, WARN, ERROR.")
    LogLevel level;

    @Option(names = "--contains", paramLabel = "TEXT", description = "Only lines holding this text.")
    String contains;

    private InstanceState ended;

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--offset", paramLabel = "N", description = "Lines to skip.")
    Integer offset;

    @Option(names = "--limit", paramLabel = "N", description = "Lines to print at most (default: all).")
    Integer limit;

    @Override
    void run(GnomonClient client, Output out) {
        if (follow) {
            if (offset != null || limit != null) {
                throw new IllegalArgumentException("--follow prints the whole log as it comes; leave out --offset"
                    + " and --limit");
            }
            ended = client.instances().follow(id, level, contains, entry -> {
                if (out.json()) {
                    out.printJson(entry);
                } else {
                    out.raw(line(entry));
                }
                out.flush();
            });
            return;
        }
        if (level != null || contains != null) {
            if (offset != null || limit != null || out.json()) {
                throw new IllegalArgumentException("--level and --contains print the matching lines as text; leave"
                    + " out --offset, --limit and --json");
            }
            client.instances().logText(id, level, contains, out::raw);
            return;
        }
        int start = offset == null ? 0 : offset;
        Page<LogEntry> page = limit != null ? client.instances().log(id, start, limit) : all(client, start);
        if (out.json()) {
            out.printJson(page);
            return;
        }
        for (LogEntry entry : page.items()) {
            out.raw(line(entry));
        }
    }

    @Override
    int exitCode() {
        return ended == null || ended == InstanceState.SUCCEEDED ? 0 : NOT_SUCCEEDED;
    }

    private static String line(LogEntry entry) {
        return String.format("%d %d %s %-5s %s", entry.attempt(), entry.seq(), Format.time(entry.at()), entry.level(),
            entry.text());
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
