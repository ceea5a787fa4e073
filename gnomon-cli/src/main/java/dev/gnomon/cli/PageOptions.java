package dev.gnomon.cli;

import picocli.CommandLine.Option;

/** Which part of a long list to show; absent values leave the choice to the server. */
final class PageOptions {

    @Option(names = "--offset", paramLabel = "N", description = "Items to skip.")
    Integer offset;

    @Option(names = "--limit", paramLabel = "N", description = "Items to show at most.")
    Integer limit;
}
