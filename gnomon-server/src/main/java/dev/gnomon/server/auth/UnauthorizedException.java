package dev.gnomon.server.auth;

import dev.gnomon.server.GnomonException;

/** The call carries no valid credentials. */
public class UnauthorizedException extends GnomonException {

    public UnauthorizedException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String title() {
        return "Unauthorized";
    }
}
