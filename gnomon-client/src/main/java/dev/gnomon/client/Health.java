package dev.gnomon.client;

/**
 * What a server says about itself.
 *
 * @param live  {@code /healthz} answered 200: the process runs
 * @param ready {@code /readyz} answered 200: it can serve requests (database reachable)
 */
public record Health(boolean live, boolean ready) {
}
