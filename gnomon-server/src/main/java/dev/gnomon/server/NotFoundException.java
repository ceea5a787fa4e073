package dev.gnomon.server;

/** The named app, job, instance or worker does not exist. */
public class NotFoundException extends GnomonException {

    public NotFoundException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String title() {
        return "Not found";
    }
}
