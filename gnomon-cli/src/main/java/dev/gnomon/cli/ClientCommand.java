package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that makes REST calls: gets the connection options, a client and an output. */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        GnomonClient client = connection.client();
        Output out = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), connection.json,
            spec.commandLine().getColorScheme().ansi());
        run(client, out);
        out.flush();
        return exitCode();
    }

    /** The exit code after a successful {@link #run}; 0 unless the command says otherwise. */
    int exitCode() {
        return 0;
    }

    /** Does the command's work; API and connection failures propagate to {@link Errors}. */
    abstract void run(GnomonClient client, Output out);
}
