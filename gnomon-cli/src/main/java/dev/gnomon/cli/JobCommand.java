package dev.gnomon.cli;

import picocli.CommandLine.Command;

@Command(name = "job", mixinStandardHelpOptions = true,
    description = "Manage jobs: what to run, when and how.",
    subcommands = {JobCreateCommand.class, JobUpdateCommand.class, JobListCommand.class, JobGetCommand.class,
        JobDeleteCommand.class, JobEnableCommand.class, JobDisableCommand.class, JobRunCommand.class,
        JobNextCommand.class})
final class JobCommand extends GroupCommand {
}
