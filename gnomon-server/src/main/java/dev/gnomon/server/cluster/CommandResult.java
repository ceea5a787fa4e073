package dev.gnomon.server.cluster;

import java.util.List;

/**
 * The instance a command made or changed; for a batch run, every instance it made, in order
 * ({@code instanceId} is then the first). A run also says when its instances were made and
 * with how many attempts, so that the API can answer without reading them back; these are null
 * for other commands, and from a server that does not send them. {@code workerId} names the
 * worker a single run was dispatched to in the transaction that recorded it; null when the
 * instance was recorded waiting.
 */
public record CommandResult(long instanceId, List<Long> instanceIds, Long createdAt, Integer maxAttempts,
                            String workerId) {

    public CommandResult(long instanceId) {
        this(instanceId, List.of(instanceId), null, null, null);
    }

    public static CommandResult of(List<Long> ids) {
        return new CommandResult(ids.get(0), List.copyOf(ids), null, null, null);
    }

    /** The instances a run made, all waiting, made at {@code createdAt} with {@code maxAttempts} attempts each. */
    public static CommandResult made(List<Long> ids, long createdAt, int maxAttempts) {
        return new CommandResult(ids.get(0), List.copyOf(ids), createdAt, maxAttempts, null);
    }

    /** The instance a run made already dispatched to {@code workerId}, at {@code createdAt}. */
    public static CommandResult dispatched(long id, long createdAt, int maxAttempts, String workerId) {
        return new CommandResult(id, List.of(id), createdAt, maxAttempts, workerId);
    }
}
