package dev.gnomon.protocol;

/**
 * The server refused the worker; the channel closes after this message.
 *
 * @param reason    what was wrong, for the worker's log
 * @param retryable whether trying again later may succeed (false for a wrong secret)
 */
public record HelloRejected(String reason, boolean retryable) implements Message {
}
