package dev.gnomon.server.cluster;

import java.util.List;

/**
 * The instance a command made or changed; for a batch run, every instance it made, in order
 * ({@code instanceId} is then the first). A run also says when its instances were made and
 * with how many attempts, so that the API can answer without reading them back; these are null
 * for other commands, and from a server that does not send them.
 */
public record CommandResult(long instanceId, List<Long> instanceIds, Long createdAt, Integer maxAttempts) {

    public CommandResult(long instanceId) {
        this(instanceId, List.of(instanceId), null, null);
    }

    public static CommandResult of(List<Long> ids) {
        return new CommandResult(ids.get(0), List.copyOf(ids), null, null);
    }

    /** The instances a run made, all at {@code createdAt} with {@code maxAttempts} attempts each. */
    public static CommandResult made(List<Long> ids, long createdAt, int maxAttempts) {
        return new CommandResult(ids.get(0), List.copyOf(ids), createdAt, maxAttempts);
    }
}
