package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.WorkerHeartbeat;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * Chooses workers for a job's tasks by its {@link WorkerSelection}: first which connected workers
 * are allowed (processor, tags, designated ids, free CPU and memory, at most {@code maxWorkers}),
 * then, for each task, one of them with a free slot by the job's strategy.
 */
public final class WorkerSelector {

    private static final long MIB = 1024L * 1024;
    private static final int MAX_EXPLAINED = 8;

    private final WorkerRegistry registry;
    private final Random random;
    private final Map<Long, AtomicLong> turns = new ConcurrentHashMap<>();

    public WorkerSelector(WorkerRegistry registry, Random random) {
        this.registry = registry;
        this.random = random;
    }

    /**
     * The app's connected workers the selection allows, in the strategy's order of preference
     * (by worker id; by rendezvous hash on {@code key} for CONSISTENT_HASH), at most
     * {@code maxWorkers} of them. Workers without a free slot are included.
     */
    public List<WorkerSession> allowed(long appId, String processor, WorkerSelection sel, String key) {
        List<WorkerSession> out = new ArrayList<>();
        for (WorkerSession s : registry.ofApp(appId)) {
            if (s.isOpen() && !s.isSuspect() && refusal(s, processor, sel) == null) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(WorkerSession::workerId));
        if (sel.strategy() == SelectionStrategy.CONSISTENT_HASH) {
            out.sort(Comparator.comparingLong((WorkerSession s) -> rendezvous(key, s.workerId())).reversed()
                .thenComparing(WorkerSession::workerId));
        }
        return sel.maxWorkers() == null || out.size() <= sel.maxWorkers() ? out : List.copyOf(out.subList(0,
            sel.maxWorkers()));
    }

    /**
     * One of the allowed workers with a free slot, by the strategy; empty when every allowed worker
     * is full (its own slots, or the job's {@code maxTasksPerWorker} counted in {@code jobTasks}).
     *
     * @param jobId    the job, whose turn ROUND_ROBIN advances
     * @param key      what CONSISTENT_HASH hashes (the job's hash key, with a shard's index)
     * @param jobTasks live tasks of the job per worker id
     */
    public Optional<WorkerSession> choose(List<WorkerSession> allowed, WorkerSelection sel, long jobId, String key,
                                          ToIntFunction<String> jobTasks) {
        List<WorkerSession> free = new ArrayList<>();
        for (WorkerSession s : allowed) {
            if (s.hasRoom() && (sel.maxTasksPerWorker() == null
                || jobTasks.applyAsInt(s.workerId()) < sel.maxTasksPerWorker())) {
                free.add(s);
            }
        }
        if (free.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (sel.strategy() == null ? SelectionStrategy.LEAST_LOADED : sel.strategy()) {
            case RANDOM -> free.get(random.nextInt(free.size()));
            case ROUND_ROBIN -> {
                List<WorkerSession> byId = free.stream().sorted(Comparator.comparing(WorkerSession::workerId)).toList();
                yield byId.get((int) (turn(jobId) % byId.size()));
            }
            case LEAST_LOADED -> leastLoaded(free, jobId);
            case CONSISTENT_HASH -> free.stream()
                .max(Comparator.comparingLong((WorkerSession s) -> rendezvous(key, s.workerId()))
                    .thenComparing(WorkerSession::workerId, Comparator.reverseOrder()))
                .orElseThrow();
        });
    }

    /** Why no worker can take the job's task now, for the instance's reason. */
    public String explain(long appId, String processor, WorkerSelection sel, int allowedCount) {
        List<WorkerSession> connected = registry.ofApp(appId).stream()
            .sorted(Comparator.comparing(WorkerSession::workerId)).toList();
        String shellHint = processor.equals("shell") ? "; start a worker with --enable-shell" : "";
        if (connected.isEmpty()) {
            return "waiting for a worker that offers processor '" + processor + "': none of this app is connected"
                + shellHint;
        }
        if (allowedCount > 0) {
            return "waiting for a free slot: all " + allowedCount + " workers the job may use are full";
        }
        StringBuilder why = new StringBuilder("waiting for a worker the job's selection allows; connected: ");
        int shown = 0;
        for (WorkerSession s : connected) {
            if (shown == MAX_EXPLAINED) {
                why.append(", and ").append(connected.size() - shown).append(" more");
                break;
            }
            why.append(shown++ == 0 ? "" : ", ").append(s.workerId()).append(' ')
                .append(s.isOpen() ? refusal(s, processor, sel) : "is disconnected");
        }
        return why.append(processor.equals("shell") && connected.stream().noneMatch(s -> s.canRun(processor))
            ? shellHint : "").toString();
    }

    /** Why the selection does not allow the worker, or null when it does. */
    static String refusal(WorkerSession s, String processor, WorkerSelection sel) {
        if (!s.canRun(processor)) {
            return "does not offer processor '" + processor + "' (offers " + new TreeSet<>(s.processors()) + ")";
        }
        if (!sel.workers().isEmpty() && !sel.workers().contains(s.workerId())) {
            return "is not one of the designated workers " + new TreeSet<>(sel.workers());
        }
        if (!s.tags().containsAll(sel.tags())) {
            TreeSet<String> missing = new TreeSet<>(sel.tags());
            missing.removeAll(s.tags());
            return "lacks tags " + missing + " (has " + new TreeSet<>(s.tags()) + ")";
        }
        WorkerHeartbeat m = s.metrics();
        if (sel.minFreeCpu() != null) {
            if (m == null || m.cpuLoad() < 0) {
                return "has not reported its CPU load yet (the job needs free CPU " + sel.minFreeCpu() + ")";
            }
            double free = 1 - m.cpuLoad();
            if (free < sel.minFreeCpu()) {
                return String.format("has free CPU %.2f, below the job's minimum %.2f", free, sel.minFreeCpu());
            }
        }
        if (sel.minFreeMemoryMb() != null) {
            if (m == null || m.memoryMax() <= 0) {
                return "has not reported its memory yet (the job needs " + sel.minFreeMemoryMb() + " MiB free)";
            }
            long freeMb = (m.memoryMax() - m.memoryUsed()) / MIB;
            if (freeMb < sel.minFreeMemoryMb()) {
                return "has " + freeMb + " MiB free heap, below the job's minimum " + sel.minFreeMemoryMb() + " MiB";
            }
        }
        return null;
    }

    /**
     * Smallest share of slots in use, then lowest CPU load; exact ties are taken in turn. Each
     * worker's load is read once: other threads change it meanwhile (a task's end, a heartbeat),
     * and a load read twice could rank a worker apart from itself.
     */
    private WorkerSession leastLoaded(List<WorkerSession> free, long jobId) {
        record Load(WorkerSession session, double slots, double cpu) {
        }
        Comparator<Load> byLoad = Comparator.comparingDouble(Load::slots).thenComparingDouble(Load::cpu);
        List<Load> sorted = free.stream().map(s -> new Load(s, s.slotLoad(), cpuLoad(s)))
            .sorted(byLoad.thenComparing(l -> l.session().workerId())).toList();
        Load best = sorted.get(0);
        List<Load> tied = sorted.stream().filter(l -> byLoad.compare(l, best) == 0).toList();
        return tied.get((int) (turn(jobId) % tied.size())).session();
    }

    private static double cpuLoad(WorkerSession s) {
        WorkerHeartbeat m = s.metrics();
        return m == null || m.cpuLoad() < 0 ? 0.5 : m.cpuLoad();
    }

    private long turn(long jobId) {
        return turns.computeIfAbsent(jobId, id -> new AtomicLong()).getAndIncrement();
    }

    /** Rendezvous (highest random weight) hashing: the same key picks the same worker while it is allowed. */
    static long rendezvous(String key, String workerId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (key + '\u0000' + workerId).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // finalise (splitmix64) so that keys differing in one character spread well
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
