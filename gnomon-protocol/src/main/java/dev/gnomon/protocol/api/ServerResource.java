package dev.gnomon.protocol.api;

import dev.gnomon.protocol.Endpoint;
import java.time.Instant;
import java.util.List;

/**
 * A server as the servers table has it.
 *
 * @param heartbeatAgeMs how long ago it last said it was alive, by the database's clock
 * @param live           whether that is within the server timeout
 * @param apps           the apps whose lease it holds now
 */
public record ServerResource(String id, String version, Instant startedAt, long heartbeatAgeMs, boolean live,
                             List<Endpoint> endpoints, List<OwnedApp> apps) {
}
