package dev.gnomon.cli;

import picocli.CommandLine.Command;

@Command(name = "app", mixinStandardHelpOptions = true,
    description = "Manage apps: namespaces of jobs and of the workers that run them.",
    subcommands = {AppCreateCommand.class, AppListCommand.class, AppGetCommand.class, AppDeleteCommand.class,
        AppRotateSecretCommand.class})
final class AppCommand extends GroupCommand {
}
