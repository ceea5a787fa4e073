package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;
import java.util.Set;

/** Filters of the instance list; null fields do not filter. */
public record InstanceQuery(Long appId, Long jobId, Set<InstanceState> states, int offset, int limit) {
}
