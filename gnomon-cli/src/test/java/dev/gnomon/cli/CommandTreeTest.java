package dev.gnomon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import org.junit.jupiter.api.Test;

/** A command line that starts a process gets a tree of that one command, which must behave as the whole tree does. */
class CommandTreeTest {

    @Test
    void aProcessCommandGetsItselfAloneAndAnythingElseTheWholeTree() {
        assertThat(tree("server").getSubcommands()).containsOnlyKeys("server");
        assertThat(tree("worker").getSubcommands()).containsOnlyKeys("worker");
        assertThat(tree("up").getSubcommands()).containsOnlyKeys("up");
        assertThat(tree("job").getSubcommands().keySet())
            .containsExactly("up", "server", "worker", "app", "job", "instance", "token");
        assertThat(tree("").getSubcommands().keySet())
            .containsExactly("up", "server", "worker", "app", "job", "instance", "token");
        assertThat(tree("--help").getSubcommands()).hasSize(7);
    }

    @Test
    void theHelpOfAProcessCommandIsTheSameEitherWay() {
        for (String command : new String[] {"server", "worker", "up"}) {
            StringWriter alone = new StringWriter();
            StringWriter whole = new StringWriter();
            int aloneExit = Gnomon.commandLine(new PrintWriter(alone, true), new PrintWriter(new StringWriter(), true),
                Ansi.OFF, command).execute(command, "--help");
            int wholeExit = Gnomon.commandLine(new PrintWriter(whole, true), new PrintWriter(new StringWriter(), true),
                Ansi.OFF).execute(command, "--help");
            assertThat(aloneExit).isZero();
            assertThat(wholeExit).isZero();
            assertThat(alone.toString()).startsWith("Usage: gnomon " + command).isEqualTo(whole.toString());
        }
    }

    @Test
    void aWrongOptionOfAProcessCommandIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = Gnomon.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Ansi.OFF,
            "server").execute("server", "--no-such-option");
        assertThat(exit).isEqualTo(Gnomon.USAGE_ERROR);
        assertThat(err.toString()).contains("--no-such-option");
    }

    private static CommandLine tree(String first) {
        return Gnomon.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Ansi.OFF, first);
    }
}
