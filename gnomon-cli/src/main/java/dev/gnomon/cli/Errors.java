package dev.gnomon.cli;

import dev.gnomon.client.GnomonApiException;
import dev.gnomon.client.GnomonConnectionException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Turns every failure into one short message on stderr and an exit code a script can test. */
final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return Gnomon.USAGE_ERROR;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        try {
            if (e instanceof GnomonApiException api) {
                err.println("error: " + api.detail());
                if (api.field() != null) {
                    err.println("field: " + api.field());
                }
                if (api.status() == 401) {
                    err.println("hint: give a token with --token or GNOMON_TOKEN, or --user and --password");
                }
                return Gnomon.API_ERROR;
            }
            if (e instanceof GnomonConnectionException connection) {
                err.println("error: " + connection.getMessage());
                err.println("hint: is a Gnomon server running there? Point to one with --url or GNOMON_URL");
                return Gnomon.CONNECTION_ERROR;
            }
            if (e instanceof dev.gnomon.server.config.ConfigException || e instanceof IllegalArgumentException) {
                err.println("error: " + e.getMessage());
                return Gnomon.USAGE_ERROR;
            }
            // A bug rather than a user error: say so, with the trace for the report.
            err.println("error: unexpected " + e);
            e.printStackTrace(err);
            return Gnomon.API_ERROR;
        } finally {
            err.flush();
        }
    }
}
