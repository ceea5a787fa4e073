package dev.gnomon.cli;

import picocli.CommandLine.Command;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
    subcommands = TokenCreateCommand.class)
final class TokenCommand extends GroupCommand {
}
