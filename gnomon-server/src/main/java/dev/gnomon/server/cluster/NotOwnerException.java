package dev.gnomon.server.cluster;

import dev.gnomon.server.GnomonException;

/** This server was asked to act for an app it does not own (ownership moved meanwhile). */
public class NotOwnerException extends GnomonException {

    public NotOwnerException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 421;
    }

    @Override
    public String title() {
        return "Misdirected request";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
