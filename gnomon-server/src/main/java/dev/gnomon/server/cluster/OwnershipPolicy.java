package dev.gnomon.server.cluster;

import java.util.Optional;

/** Decides which apps this server should own; consulted once per lease round. */
public interface OwnershipPolicy {

    /** Reads what the decision depends on (live servers, apps) once per round. */
    default void refresh() {
    }

    /** The server that should own the app, if the policy has an opinion. */
    Optional<String> preferredOwner(long appId);
}
