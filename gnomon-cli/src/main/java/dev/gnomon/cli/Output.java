package dev.gnomon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.Page;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Help.Ansi;

/** Prints a resource as JSON (with --json) or as text for people; notes go to stderr to keep stdout parseable. */
final class Output {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Ansi ansi;

    Output(PrintWriter out, PrintWriter err, boolean json, Ansi ansi) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.ansi = ansi;
    }

    boolean json() {
        return json;
    }

    /** Prints {@code resource} as JSON, or {@code text} when --json was not given. */
    void show(Object resource, Table text) {
        if (json) {
            printJson(resource);
        } else {
            text.print(out, ansi);
        }
    }

    /** Like {@link #show(Object, Table)}, and says on stderr when the page holds only part of the list. */
    void showPage(Page<?> page, Table text) {
        show(page, text);
        int shown = page.items().size();
        if (!json && shown < page.total()) {
            int first = shown == 0 ? page.offset() : page.offset() + 1;
            err.println("(" + first + "-" + (page.offset() + shown) + " of " + page.total()
                + "; use --offset and --limit for more)");
        }
    }

    void show(Object resource, Details text) {
        if (json) {
            printJson(resource);
        } else {
            text.print(out);
        }
    }

    /** A line of text, not printed with --json (where the resource alone is the output). */
    void line(String text) {
        if (!json) {
            out.println(text);
        }
    }

    /** A line printed whatever the format, such as a log line. */
    void raw(String text) {
        out.println(text);
    }

    void printJson(Object resource) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(resource));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() {
        out.flush();
        err.flush();
    }
}
