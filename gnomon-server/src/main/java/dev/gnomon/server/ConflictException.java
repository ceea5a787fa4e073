package dev.gnomon.server;

/** The call clashes with what is stored: a name taken, a state that does not allow the change. */
public class ConflictException extends GnomonException {

    public ConflictException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String title() {
        return "Conflict";
    }
}
