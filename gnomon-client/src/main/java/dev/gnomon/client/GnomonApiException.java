package dev.gnomon.client;

import dev.gnomon.protocol.api.Problem;
import java.util.Objects;

/**
 * The server answered with an error status. Carries the RFC 9457 problem the server sent (or
 * one made from the status when the body was not a problem document).
 */
public final class GnomonApiException extends GnomonClientException {

    private final Problem problem;
    private final String method;
    private final String url;

    GnomonApiException(Problem problem, String method, String url) {
        super(message(problem, method, url), null);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.method = method;
        this.url = url;
    }

    private static String message(Problem problem, String method, String url) {
        String text = method + " " + url + ": HTTP " + problem.status() + ": " + text(problem);
        return problem.field() == null ? text : text + " (field: " + problem.field() + ")";
    }

    private static String text(Problem problem) {
        if (problem.detail() != null && !problem.detail().isBlank()) {
            return problem.detail();
        }
        return problem.title() != null ? problem.title() : "no detail given";
    }

    /** The problem document as the server sent it. */
    public Problem problem() {
        return problem;
    }

    /** The HTTP status, such as 404 or 409. */
    public int status() {
        return problem.status();
    }

    /** What was wrong and what would be right; falls back to the title when the server gave no detail. */
    public String detail() {
        return text(problem);
    }

    /** The request field at fault, or {@code null} when the problem is not about one field. */
    public String field() {
        return problem.field();
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The full URL of the failed call. */
    public String url() {
        return url;
    }

    /** True for 5xx and 429 (the server may manage later), false for other 4xx (the request is wrong). */
    @Override
    public boolean retryable() {
        return status() >= 500 || status() == 429;
    }
}
