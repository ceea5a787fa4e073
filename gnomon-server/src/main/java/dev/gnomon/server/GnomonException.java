package dev.gnomon.server;

/**
 * Root of every error Gnomon reports to a caller. The API maps each subclass to one HTTP status
 * in one place; the message says what was wrong and what would be right.
 */
public abstract class GnomonException extends RuntimeException {

    protected GnomonException(String message) {
        super(message);
    }

    protected GnomonException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The HTTP status the API answers with. */
    public abstract int status();

    /** A short title of the kind of problem. */
    public abstract String title();

    /** The request field at fault, or null. */
    public String field() {
        return null;
    }

    /** Whether the same call may succeed if tried again later. */
    public boolean retryable() {
        return false;
    }
}
