package dev.gnomon.bench;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * M6, worker half: one server on PostgreSQL, worker A running {@value #TASKS} sleeping tasks
 * (one job, maxConcurrent {@value #TASKS}, one retry), worker B connected and idle. SIGKILL A, then
 * time from the kill to the first start (the server recording the attempt RUNNING) of attempt 2 of
 * each instance, on B. Taken with default settings and with fast failure detection.
 */
final class WorkerFailoverBench {

    static final int TASKS = 1000;
    /** Long enough that no first attempt ends by itself before the kill; attempt 2 is stopped with the processes. */
    private static final long SLEEP_MS = 600_000;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    /** The server settings of one variant, and how the table names it. */
    record Variant(String key, String label, Map<String, String> settings) {
    }

    static final Variant DEFAULTS = new Variant("m6.worker", "default settings (heartbeat 5 s, suspect-after 15 s,"
        + " lost-after 30 s)", Map.of());
    static final Variant FAST = new Variant("m6.worker.fast", "heartbeat-interval 1 s, suspect-after 2 s,"
        + " lost-after 4 s", Map.of("gnomon.worker.heartbeat-interval", "1s", "gnomon.worker.suspect-after", "2s",
        "gnomon.worker.lost-after", "4s"));

    /** The variants named by {@code --variant}: {@code default}, {@code fast}, or {@code all} for both. */
    static List<Variant> variants(String name) {
        return switch (name) {
            case "all" -> List.of(DEFAULTS, FAST);
            case "default" -> List.of(DEFAULTS);
            case "fast" -> List.of(FAST);
            default -> throw new IllegalArgumentException("--variant is '" + name + "'; allowed: default, fast, all");
        };
    }

    private final Results results;

    WorkerFailoverBench(Results results) {
        this.results = results;
    }

    /** One kill; adds the median and the largest time to attempt 2 under {@code variant.key()}. */
    void once(Path dir, Variant variant) throws Exception {
        Pg.recreate();
        try (GnomonProcesses g = GnomonProcesses.start(dir, true, List.of(), variant.settings())) {
            g.createNoopJob(ScheduleSpec.api(), "warm-up");
            long job = g.client.jobs().create(new JobRequest(GnomonProcesses.APP, "sleepers", null, true, "sleep",
                Long.toString(SLEEP_MS), ScheduleSpec.api(), null, TASKS, OverlapPolicy.QUEUE,
                new RetrySpec(1, BackoffKind.FIXED, Duration.ofMillis(0), Duration.ofMillis(0)), null)).id();
            Process a = g.startWorker("worker-a", TASKS, List.of());
            await("worker A online", "SELECT COUNT(*) FROM workers WHERE state = 'ONLINE'", 1);
            List<String> params = new ArrayList<>(Collections.nCopies(100, null));
            for (int i = 0; i < TASKS / 100; i++) {
                g.client.jobs().runAll(job, params);
            }
            await("all tasks running on A", "SELECT COUNT(*) FROM tasks WHERE state = 'RUNNING'", TASKS);
            g.startWorker("worker-b", TASKS, List.of());
            await("worker B online", "SELECT COUNT(*) FROM workers WHERE state = 'ONLINE'", 2);

            long killedAt = System.currentTimeMillis();
            a.destroyForcibly().waitFor();
            await("attempt 2 of every instance started", "SELECT COUNT(DISTINCT instance_id) FROM tasks"
                + " WHERE attempt >= 2 AND started_at IS NOT NULL", TASKS);
            List<Double> seconds = new ArrayList<>();
            try (Connection c = Pg.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT MIN(started_at) FROM tasks WHERE attempt >= 2"
                     + " GROUP BY instance_id")) {
                while (rs.next()) {
                    seconds.add((rs.getLong(1) - killedAt) / 1000.0);
                }
            }
            results.add(variant.key() + ".p50", GnomonBench.NAME, Stats.median(seconds));
            results.add(variant.key() + ".max", GnomonBench.NAME, Collections.max(seconds));
        }
    }

    private static void await(String what, String countSql, long expected) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Pg.count(countSql) >= expected) {
                return;
            }
            Jvm.sleep(100);
        }
        throw new IllegalStateException(what + ": not within " + LIMIT.toSeconds() + " s");
    }
}
