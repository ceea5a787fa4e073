package dev.gnomon.tests.fault;

/** The two directions of a proxied connection. */
public enum Direction {
    /** From the client that dialled the proxy to the target port. */
    UPSTREAM,
    /** From the target port back to the client. */
    DOWNSTREAM
}
