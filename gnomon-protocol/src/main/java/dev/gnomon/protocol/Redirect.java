package dev.gnomon.protocol;

import java.util.List;

/**
 * Another server owns the worker's app: connect there. The channel closes after this message.
 *
 * @param serverId  the owner
 * @param endpoints the owner's endpoints, each with its protocol
 */
public record Redirect(String serverId, List<Endpoint> endpoints) implements Message {
    public Redirect {
        endpoints = List.copyOf(endpoints);
    }
}
