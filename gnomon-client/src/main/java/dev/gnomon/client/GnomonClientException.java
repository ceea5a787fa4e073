package dev.gnomon.client;

/** The root of every failure the client reports. Unchecked, so calls read as plain method calls. */
public abstract class GnomonClientException extends RuntimeException {

    GnomonClientException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call may succeed if made again later. A retried call that is not
     * idempotent (create, run, retry) can act twice when the first attempt did reach the server.
     */
    public abstract boolean retryable();
}
