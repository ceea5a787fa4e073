package dev.gnomon.client;

import dev.gnomon.protocol.api.TokenCreated;
import dev.gnomon.protocol.api.TokenRequest;

/** API tokens of the calling user. Obtained from {@link GnomonClient#tokens()}. */
public final class Tokens {

    private final Http http;

    Tokens(Http http) {
        this.http = http;
    }

    /** Creates a token; the answer holds it, shown this once. */
    public TokenCreated create(String name) {
        return http.call("POST", Paths.of("tokens").toString(), new TokenRequest(name), http.type(TokenCreated.class));
    }
}
