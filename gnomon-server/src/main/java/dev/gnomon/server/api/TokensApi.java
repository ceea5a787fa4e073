package dev.gnomon.server.api;

import dev.gnomon.protocol.api.TokenCreated;
import dev.gnomon.protocol.api.TokenRequest;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.auth.Principal;
import dev.gnomon.server.auth.Secrets;
import dev.gnomon.server.store.UserStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code /api/v1/tokens}: API tokens for scripts, owned by the calling user. */
final class TokensApi {

    private final UserStore users;
    private final Clock clock;

    TokensApi(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(Route.post("/api/v1/tokens", "Create an API token for the calling user; shown this once", 201,
            TokenRequest.class, TokenCreated.class, this::create));
    }

    private void create(Context ctx) {
        TokenRequest req = Bodies.read(ctx, TokenRequest.class);
        if (req.name() == null || req.name().isBlank() || req.name().length() > 128) {
            throw new InvalidInputException("name", "token name must be 1-128 characters");
        }
        Principal who = ctx.attribute(ApiServer.PRINCIPAL);
        String token = Secrets.token("gnt_");
        long now = clock.millis();
        long id = users.createToken(who.userId(), req.name(), Secrets.sha256(token), now);
        ctx.status(201).json(new TokenCreated(id, req.name(), token, Instant.ofEpochMilli(now)));
    }
}
