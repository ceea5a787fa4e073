package dev.gnomon.server;

/** A request field holds a value that cannot be accepted. Nothing was stored. */
public class InvalidInputException extends GnomonException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String title() {
        return "Invalid request";
    }

    @Override
    public String field() {
        return field;
    }
}
