package dev.gnomon.server.cluster;

import dev.gnomon.server.GnomonException;

/** The owner of an app answered a forwarded command with an error; it is passed on as it was. */
public class ForwardedProblemException extends GnomonException {

    private final int status;
    private final String title;
    private final String field;

    public ForwardedProblemException(int status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String field() {
        return field;
    }
}
