package dev.gnomon.protocol.api;

import java.util.List;

/** The servers of the cluster and the apps each owns. */
public record ClusterResource(List<ServerResource> servers) {
}
