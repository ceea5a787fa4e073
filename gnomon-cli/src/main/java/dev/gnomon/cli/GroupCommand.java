package dev.gnomon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: called alone, it is a usage error naming the choices. */
abstract class GroupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String choices = String.join(", ", spec.subcommands().keySet());
        throw new ParameterException(spec.commandLine(), "Missing subcommand; choose one of: " + choices);
    }
}
