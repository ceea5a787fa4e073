package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import java.io.Console;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the server is, who is calling, and how to print: on every command that calls the API.
 * Defaults come from GNOMON_* environment variables (or system properties of the same name).
 * Listed last in help (high {@code order}), after what the command itself takes.
 */
final class ClientOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--url", order = 100, paramLabel = "URL", defaultValue = "${GNOMON_URL:-" + GnomonClient.DEFAULT_BASE_URL + "}",
        description = "Server URL (env GNOMON_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", order = 101, paramLabel = "TOKEN", defaultValue = "${GNOMON_TOKEN}",
        description = "API token (env GNOMON_TOKEN).")
    String token;

    @Option(names = "--user", order = 102, paramLabel = "USER", defaultValue = "${GNOMON_USER}",
        description = "User name for HTTP Basic auth (env GNOMON_USER).")
    String user;

    @Option(names = "--password", order = 103, paramLabel = "PASSWORD", defaultValue = "${GNOMON_PASSWORD}",
        description = "Password for --user (env GNOMON_PASSWORD); asked for on a terminal when absent.")
    String password;

    @Option(names = "--json", order = 104, description = "Print the JSON resource instead of a table.")
    boolean json;

    GnomonClient client() {
        GnomonClient.Builder builder = GnomonClient.builder();
        try {
            builder.baseUrl(url);
        } catch (IllegalArgumentException e) {
            throw usage("Invalid value for option '--url': " + e.getMessage());
        }
        boolean hasToken = token != null && !token.isBlank();
        boolean hasUser = user != null && !user.isBlank();
        if (hasToken && hasUser) {
            throw usage("Give either --token (GNOMON_TOKEN) or --user (GNOMON_USER), not both");
        }
        if (hasToken) {
            builder.token(token);
        }
        if (hasUser) {
            try {
                builder.basicAuth(user, password != null ? password : askPassword());
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '--user': " + e.getMessage());
            }
        }
        return builder.build();
    }

    private String askPassword() {
        Console console = System.console();
        if (console == null) {
            throw usage("Option '--user' needs '--password' or GNOMON_PASSWORD when not on a terminal");
        }
        char[] typed = console.readPassword("password for %s: ", user);
        return typed == null ? "" : new String(typed);
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
