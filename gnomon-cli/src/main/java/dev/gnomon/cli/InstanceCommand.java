package dev.gnomon.cli;

import picocli.CommandLine.Command;

@Command(name = "instance", mixinStandardHelpOptions = true, description = "Look at and act on runs of jobs.",
    subcommands = {InstanceListCommand.class, InstanceGetCommand.class, InstanceStopCommand.class,
        InstanceRetryCommand.class, InstanceLogsCommand.class, InstanceTasksCommand.class})
final class InstanceCommand extends GroupCommand {
}
