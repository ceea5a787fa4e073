package dev.gnomon.client;

/**
 * The server could not be reached or did not answer in time: refused connection, unknown host,
 * timeout, broken connection, or an interrupted call. The request may or may not have been
 * acted upon.
 */
public final class GnomonConnectionException extends GnomonClientException {

    private final String url;

    GnomonConnectionException(String url, String reason, Throwable cause) {
        super("cannot reach Gnomon at " + url + ": " + reason, cause);
        this.url = url;
    }

    /** The URL the client tried to reach. */
    public String url() {
        return url;
    }

    /** Always true: connection failures are usually transient. */
    @Override
    public boolean retryable() {
        return true;
    }
}
