package dev.gnomon.server.cluster;

import java.util.List;

/**
 * The instance a command made or changed; for a batch run, every instance it made, in order
 * ({@code instanceId} is then the first).
 */
public record CommandResult(long instanceId, List<Long> instanceIds) {

    public CommandResult(long instanceId) {
        this(instanceId, List.of(instanceId));
    }

    public static CommandResult of(List<Long> ids) {
        return new CommandResult(ids.get(0), List.copyOf(ids));
    }
}
