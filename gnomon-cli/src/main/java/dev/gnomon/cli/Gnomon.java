package dev.gnomon.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;

/** The {@code gnomon} command: runs servers and workers, and drives a cluster through its REST API. */
@Command(
    name = "gnomon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Gnomon, a distributed job scheduler for the JVM.")
public final class Gnomon extends GroupCommand {

    /** The commands that run processes. */
    static final List<Class<?>> PROCESSES = List.of(
        UpCommand.class,
        ServerCommand.class,
        WorkerCommand.class);
    /** The commands that drive a cluster through its REST API. */
    static final List<Class<?>> API_COMMANDS = List.of(
        AppCommand.class,
        JobCommand.class,
        InstanceCommand.class,
        TokenCommand.class);

    /** Exit code when the server answered with an error. */
    static final int API_ERROR = 1;
    /** Exit code when the command line was wrong (picocli's own code for usage errors). */
    static final int USAGE_ERROR = CommandLine.ExitCode.USAGE;
    /** Exit code when the server could not be reached. */
    static final int CONNECTION_ERROR = 3;

    /** Called alone, show what there is to call. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE_ERROR;
    }

    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs one command line against the process's standard streams and returns its exit code. */
    static int run(String... args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        // Colours only on a terminal, and never when the user opted out (https://no-color.org).
        Help.Ansi ansi = System.getenv("NO_COLOR") != null ? Help.Ansi.OFF : Help.Ansi.AUTO;
        return commandLine(out, err, ansi, args.length > 0 ? args[0] : "").execute(args);
    }

    /** The fully configured command tree, writing to the given streams; tests call this directly. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Help.Ansi ansi) {
        return commandLine(out, err, ansi, "");
    }

    /**
     * The command tree for a command line whose first word is {@code first}. One that starts a
     * server, a worker or {@code up} gets that command alone: picocli reads the annotations of
     * every command it is given, and reading the whole tree made up a tenth of a server's start.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Help.Ansi ansi, String first) {
        CommandLine commandLine = new CommandLine(new Gnomon());
        Optional<Class<?>> process = PROCESSES.stream()
            .filter(c -> c.getAnnotation(Command.class).name().equals(first)).findFirst();
        if (process.isPresent()) {
            commandLine.addSubcommand(process.get());
        } else {
            PROCESSES.forEach(commandLine::addSubcommand);
            API_COMMANDS.forEach(commandLine::addSubcommand);
        }
        Converters.register(commandLine);
        Errors errors = new Errors();
        return commandLine
            .setOut(out)
            .setErr(err)
            .setColorScheme(Help.defaultColorScheme(ansi))
            .setExecutionExceptionHandler(errors)
            .setParameterExceptionHandler(errors);
    }
}
