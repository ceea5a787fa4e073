package dev.gnomon.cli;

import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Worker selection, shards and the broadcast rule of a job; absent options keep the default (or current) value. */
final class ModeOptions {

    @Option(names = "--shard", paramLabel = "TEXT",
        description = "With --mode sharding: one shard's parameter; repeat once per shard.")
    List<String> shards;

    @Option(names = "--strategy", paramLabel = "STRATEGY",
        description = "How a worker is chosen: least-loaded (default), random, round-robin or consistent-hash.")
    SelectionStrategy strategy;

    @Option(names = "--hash-key", paramLabel = "TEXT", description = "With consistent-hash: what to keep on one worker.")
    String hashKey;

    @Option(names = "--require-tag", paramLabel = "TAG", split = ",",
        description = "Only workers with this tag (gnomon worker --tag); repeat for several, all required.")
    Set<String> tags;

    @Option(names = "--on-worker", paramLabel = "ID", split = ",",
        description = "Only this worker (designated); repeat for several.")
    Set<String> workers;

    @Option(names = "--max-workers", paramLabel = "N", description = "At most N workers take part in one instance.")
    Integer maxWorkers;

    @Option(names = "--min-free-cpu", paramLabel = "SHARE", description = "Only workers with this share of CPU free, 0-1.")
    Double minFreeCpu;

    @Option(names = "--min-free-memory-mb", paramLabel = "MIB", description = "Only workers with this much heap free.")
    Long minFreeMemoryMb;

    @Option(names = "--max-tasks-per-worker", paramLabel = "N", description = "At most N of the job's tasks per worker.")
    Integer maxTasksPerWorker;

    @Option(names = "--worker-wait", paramLabel = "DURATION",
        description = "How long an instance waits for an allowed worker before it fails.")
    Duration workerWait;

    @Option(names = "--success-rule", paramLabel = "RULE",
        description = "With --mode broadcast: all (default), at-least or percent (with --threshold).")
    BroadcastRule rule;

    @Option(names = "--threshold", paramLabel = "N", description = "Workers (at-least) or percent that must succeed.")
    Integer threshold;

    @Option(names = "--post-step", description = "With --mode broadcast: run the processor's post-step after all tasks.")
    boolean postStep;

    @Option(names = "--post-processor", paramLabel = "NAME",
        description = "With --mode broadcast: the processor the post-step runs.")
    String postProcessor;

    /** The selection from the options, over {@code current} (null when neither says anything). */
    WorkerSelection selection(WorkerSelection current) {
        WorkerSelection c = current != null ? current : new WorkerSelection(null, null, null, null, null, null, null,
            null, null);
        if (strategy == null && hashKey == null && tags == null && workers == null && maxWorkers == null
            && minFreeCpu == null && minFreeMemoryMb == null && maxTasksPerWorker == null && workerWait == null) {
            return current;
        }
        return new WorkerSelection(JobOptions.or(strategy, c.strategy()), JobOptions.or(hashKey, c.hashKey()),
            JobOptions.or(tags, c.tags()), JobOptions.or(workers, c.workers()), JobOptions.or(maxWorkers, c.maxWorkers()),
            JobOptions.or(minFreeCpu, c.minFreeCpu()), JobOptions.or(minFreeMemoryMb, c.minFreeMemoryMb()),
            JobOptions.or(maxTasksPerWorker, c.maxTasksPerWorker()), JobOptions.or(workerWait, c.workerWait()));
    }

    List<String> shards(List<String> current) {
        return JobOptions.or(shards, current);
    }

    /** The broadcast rule from the options, over {@code current} (null when neither says anything). */
    BroadcastSpec broadcast(BroadcastSpec current) {
        if (rule == null && threshold == null && !postStep && postProcessor == null) {
            return current;
        }
        BroadcastSpec c = current != null ? current : BroadcastSpec.all();
        return new BroadcastSpec(JobOptions.or(rule, c.rule()), JobOptions.or(threshold, c.threshold()),
            postStep || postProcessor != null || c.hasPostStep() ? Boolean.TRUE : null,
            JobOptions.or(postProcessor, c.postProcessor()));
    }
}
