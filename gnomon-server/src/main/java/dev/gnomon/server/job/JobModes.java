package dev.gnomon.server.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.store.JobRow;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A job's execution mode, worker selection, shards and broadcast rule: checked when a job is
 * written, kept as JSON in the job's row, read back when it is dispatched.
 */
public final class JobModes {

    public static final int MAX_SHARDS = 10_000;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern PROCESSOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._$:/-]{0,254}");
    private static final int MAX_TAGS = 20;
    private static final int MAX_DESIGNATED = 1_000;
    private static final int MAX_SHARD_PARAMS_CHARS = 256 * 1024;
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** What a job request says about modes, checked, as the JSON columns of the job's row. */
    public record Stored(String mode, String selection, String shards, String broadcast) {
    }

    private JobModes() {
    }

    /** Checks the request's mode, selection, shards and broadcast rule; throws a 400 naming the field. */
    public static Stored check(JobRequest req) {
        ExecutionMode mode = req.mode() == null ? ExecutionMode.STANDALONE : req.mode();
        WorkerSelection selection = req.selection() == null ? null : selection(req.selection());
        List<String> shards = shards(mode, req.shards());
        BroadcastSpec broadcast = broadcast(mode, req);
        return new Stored(mode.name(), selection == null ? null : write(selection),
            shards == null ? null : write(shards), broadcast == null ? null : write(broadcast));
    }

    public static ExecutionMode mode(JobRow job) {
        return ExecutionMode.valueOf(job.mode());
    }

    /** The job's worker selection; any worker, least loaded first, when it has none. */
    public static WorkerSelection selection(JobRow job) {
        return job.selection() == null ? WorkerSelection.any() : read(job.selection(), WorkerSelection.class);
    }

    /** The job's shard parameters; empty unless it is a SHARDING job. */
    public static List<String> shards(JobRow job) {
        return job.shards() == null ? List.of() : read(job.shards(), STRINGS);
    }

    /** The job's broadcast rule; all must succeed, no post-step, when it has none. */
    public static BroadcastSpec broadcast(JobRow job) {
        return job.broadcast() == null ? BroadcastSpec.all() : read(job.broadcast(), BroadcastSpec.class);
    }

    private static WorkerSelection selection(WorkerSelection s) {
        SelectionStrategy strategy = s.strategy() == null ? SelectionStrategy.LEAST_LOADED : s.strategy();
        if (strategy == SelectionStrategy.CONSISTENT_HASH) {
            require(s.hashKey() != null && !s.hashKey().isBlank() && s.hashKey().length() <= 255, "selection.hashKey",
                "strategy CONSISTENT_HASH needs selection.hashKey: 1-255 characters that name what to keep on one"
                    + " worker, such as a tenant id");
        } else {
            require(s.hashKey() == null, "selection.hashKey", "selection.hashKey is only used with strategy"
                + " CONSISTENT_HASH; the strategy is " + strategy);
        }
        require(s.tags().size() <= MAX_TAGS, "selection.tags", "selection.tags has " + s.tags().size()
            + " tags; at most " + MAX_TAGS);
        for (String tag : s.tags()) {
            require(tag != null && TAG.matcher(tag).matches(), "selection.tags", "tag '" + tag + "' is not valid;"
                + " a tag is 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        require(s.workers().size() <= MAX_DESIGNATED, "selection.workers", "selection.workers names "
            + s.workers().size() + " workers; at most " + MAX_DESIGNATED);
        for (String worker : s.workers()) {
            require(worker != null && !worker.isBlank() && worker.length() <= 128, "selection.workers",
                "a designated worker id must be 1-128 characters");
        }
        require(s.maxWorkers() == null || (s.maxWorkers() >= 1 && s.maxWorkers() <= MAX_SHARDS),
            "selection.maxWorkers", "selection.maxWorkers is " + s.maxWorkers() + "; allowed 1-" + MAX_SHARDS);
        require(s.minFreeCpu() == null || (s.minFreeCpu() >= 0 && s.minFreeCpu() <= 1), "selection.minFreeCpu",
            "selection.minFreeCpu is " + s.minFreeCpu() + "; it is a share of the CPU from 0.0 to 1.0, e.g. 0.25");
        require(s.minFreeMemoryMb() == null || (s.minFreeMemoryMb() >= 0 && s.minFreeMemoryMb() <= 1L << 30),
            "selection.minFreeMemoryMb", "selection.minFreeMemoryMb is " + s.minFreeMemoryMb()
                + "; give MiB of free heap, 0 or more");
        require(s.maxTasksPerWorker() == null || (s.maxTasksPerWorker() >= 1 && s.maxTasksPerWorker() <= 10_000),
            "selection.maxTasksPerWorker", "selection.maxTasksPerWorker is " + s.maxTasksPerWorker()
                + "; allowed 1-10000");
        Duration wait = s.workerWait();
        require(wait == null || (wait.compareTo(Duration.ofSeconds(1)) >= 0 && wait.compareTo(Duration.ofDays(7)) <= 0),
            "selection.workerWait", "selection.workerWait is " + wait + "; allowed 1s to 7 days");
        return new WorkerSelection(strategy, s.hashKey(), s.tags(), s.workers(), s.maxWorkers(), s.minFreeCpu(),
            s.minFreeMemoryMb(), s.maxTasksPerWorker(), wait);
    }

    private static List<String> shards(ExecutionMode mode, List<String> shards) {
        if (mode != ExecutionMode.SHARDING) {
            require(shards == null, "shards", "shards are only for mode SHARDING; the mode is " + mode);
            return null;
        }
        require(shards != null && !shards.isEmpty() && shards.size() <= MAX_SHARDS, "shards",
            "mode SHARDING needs shards: one parameter per shard, 1-" + MAX_SHARDS + " of them, e.g. [\"eu\",\"us\"]"
                + (shards == null ? "" : "; got " + shards.size()));
        long chars = 0;
        for (int i = 0; i < shards.size(); i++) {
            chars += shards.get(i) == null ? 0 : shards.get(i).length();
        }
        require(chars <= MAX_SHARD_PARAMS_CHARS, "shards", "shard parameters are " + chars + " characters in all;"
            + " at most " + MAX_SHARD_PARAMS_CHARS);
        return shards;
    }

    private static BroadcastSpec broadcast(ExecutionMode mode, JobRequest req) {
        BroadcastSpec b = req.broadcast();
        if (mode != ExecutionMode.BROADCAST) {
            require(b == null, "broadcast", "broadcast settings are only for mode BROADCAST; the mode is " + mode);
            return null;
        }
        require(req.retry() == null || req.retry().maxRetries() == 0, "retry.maxRetries",
            "a broadcast task is bound to its worker for life and is not retried; set retry.maxRetries to 0");
        if (b == null) {
            return null;
        }
        BroadcastRule rule = b.rule() == null ? BroadcastRule.ALL : b.rule();
        switch (rule) {
            case ALL -> require(b.threshold() == null, "broadcast.threshold",
                "broadcast.threshold is only used with rule AT_LEAST or PERCENT; the rule is ALL");
            case AT_LEAST -> require(b.threshold() != null && b.threshold() >= 1 && b.threshold() <= MAX_SHARDS,
                "broadcast.threshold", "rule AT_LEAST needs broadcast.threshold: how many workers must succeed, 1-"
                    + MAX_SHARDS);
            case PERCENT -> require(b.threshold() != null && b.threshold() >= 1 && b.threshold() <= 100,
                "broadcast.threshold", "rule PERCENT needs broadcast.threshold: the percentage of workers that must"
                    + " succeed, 1-100");
        }
        require(b.postProcessor() == null || PROCESSOR.matcher(b.postProcessor()).matches(), "broadcast.postProcessor",
            "broadcast.postProcessor must name a processor registered on the workers");
        require(!Boolean.FALSE.equals(b.postStep()) || b.postProcessor() == null, "broadcast.postStep",
            "broadcast.postStep is false but broadcast.postProcessor is set; drop one of them");
        return new BroadcastSpec(rule, b.threshold(), b.hasPostStep(), b.postProcessor());
    }

    private static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: " + json, e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored value is not readable: " + json, e);
        }
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidInputException(field, message);
        }
    }

}
