package dev.gnomon.cli;

import dev.gnomon.client.FakeServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine.Help.Ansi;

/** Runs the gnomon command in-process and captures what it printed. */
final class Cli {

    record Result(int exit, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Gnomon.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), Ansi.OFF).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs {@code args} against the fake server with a token. */
    static Result against(FakeServer server, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = "t0k3n";
        return run(all);
    }
}
