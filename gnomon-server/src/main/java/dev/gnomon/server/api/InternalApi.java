package dev.gnomon.server.api;

import dev.gnomon.protocol.Json;
import dev.gnomon.server.auth.Secrets;
import dev.gnomon.server.auth.UnauthorizedException;
import dev.gnomon.server.cluster.CommandRequest;
import dev.gnomon.server.dispatch.Commands;
import dev.gnomon.server.transport.HttpCommandForwarder;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code /internal/v1/commands}: the owner's end of a forwarded command. Only servers that know
 * the cluster secret may call it; users cannot.
 */
public final class InternalApi {

    private final Commands commands;
    private final Supplier<String> secret;

    public InternalApi(Commands commands, String secret) {
        this(commands, () -> secret);
    }

    /** With the secret read at the first call; the endpoint lets none through before the server is ready. */
    public InternalApi(Commands commands, Supplier<String> secret) {
        this.commands = commands;
        this.secret = secret;
    }

    void handle(Context ctx) throws IOException {
        String given = ctx.header(HttpCommandForwarder.SECRET_HEADER);
        if (given == null || !Secrets.same(given, secret.get())) {
            throw new UnauthorizedException("server-to-server calls need the cluster secret");
        }
        CommandRequest command = Json.mapper().readValue(ctx.body(), CommandRequest.class);
        ctx.json(commands.local(command));
    }
}
