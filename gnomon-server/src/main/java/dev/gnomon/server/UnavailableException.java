package dev.gnomon.server;

/** The call cannot be served now (the owner of an app cannot be reached); it may work later. */
public class UnavailableException extends GnomonException {

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String title() {
        return "Service unavailable";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
