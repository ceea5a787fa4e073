package dev.gnomon.protocol.api;

import java.time.Duration;
import java.util.Set;

/**
 * Which workers may run a job's tasks, and how one is chosen. Every field is optional.
 *
 * @param strategy          how a worker is chosen among the allowed ones; LEAST_LOADED when absent
 * @param hashKey           the key CONSISTENT_HASH hashes (required with it); shard tasks add their index
 * @param tags              a worker must declare every one of these tags
 * @param workers           designated workers: only these worker ids may run the job
 * @param maxWorkers        at most this many workers take part in one instance (sharding and broadcast)
 * @param minFreeCpu        a worker's last reported free CPU (1 - load), from 0.0 to 1.0, must be at least this
 * @param minFreeMemoryMb   a worker's last reported free heap, in MiB, must be at least this
 * @param maxTasksPerWorker at most this many tasks of the job run on one worker at once
 * @param workerWait        how long an instance waits for an allowed worker before it fails;
 *                          {@code gnomon.dispatch.worker-wait} when absent
 */
public record WorkerSelection(
    SelectionStrategy strategy,
    String hashKey,
    Set<String> tags,
    Set<String> workers,
    Integer maxWorkers,
    Double minFreeCpu,
    Long minFreeMemoryMb,
    Integer maxTasksPerWorker,
    Duration workerWait) {

    public WorkerSelection {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        workers = workers == null ? Set.of() : Set.copyOf(workers);
    }

    /** Any worker that offers the processor, least loaded first. */
    public static WorkerSelection any() {
        return new WorkerSelection(SelectionStrategy.LEAST_LOADED, null, Set.of(), Set.of(), null, null, null, null, null);
    }

    public static WorkerSelection of(SelectionStrategy strategy) {
        return new WorkerSelection(strategy, null, Set.of(), Set.of(), null, null, null, null, null);
    }
}
