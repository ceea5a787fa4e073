package dev.gnomon.worker;

/**
 * What a processor says of its work.
 *
 * <p>The flag is called {@code succeeded} rather than {@code success} because a record
 * accessor {@code success()} would clash with the factory {@link #success()}.
 *
 * @param succeeded whether the work succeeded
 * @param message   a short result or error text shown with the task (may be null)
 */
public record Result(boolean succeeded, String message) {

    /** Success with a result text. */
    public static Result success(String message) {
        return new Result(true, message);
    }

    /** Success without a result text. */
    public static Result success() {
        return new Result(true, null);
    }

    /** Failure with a text saying what went wrong. */
    public static Result failure(String message) {
        return new Result(false, message);
    }
}
