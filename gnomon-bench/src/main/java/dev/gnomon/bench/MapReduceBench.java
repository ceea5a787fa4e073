package dev.gnomon.bench;

import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Map-reduce (issue 5): one server process on PostgreSQL and two worker processes
 * ({@link MapReduceWorker}); one MAP_REDUCE instance whose root emits n no-op sub-tasks and whose
 * reduce counts their results as a stream. The time runs from the run request until the instance
 * has ended; sub-tasks per second is n over that time. The server's peak heap comes from a JFR
 * recording on the server: the largest {@code heapUsed} of its {@code jdk.GCHeapSummary} events
 * (taken before and after every collection), and the largest after a collection (what stayed live).
 */
final class MapReduceBench {

    /** A database of its own, so that this benchmark never drops the one another part of the harness uses. */
    static final String DB = "gnomon_bench_map";
    static final int WORKERS = 2;
    static final int WORKER_MAX_TASKS = 256;
    private static final Duration LIMIT = Duration.ofMinutes(30);
    private static final double MIB = 1024.0 * 1024.0;

    record Run(int subTasks, double seconds, double peakHeapMb, double peakLiveMb, Instant from, Instant to, Cpu cpu) {
        double rate() {
            return subTasks / seconds;
        }
    }

    /**
     * CPU milliseconds per 1,000 sub-tasks of the measured instance: the server's, both workers'
     * together, and those of the PostgreSQL backends serving the benchmark's database (the server's
     * pool; not the harness's vacuum). CPU used holds up better than a rate when the machine is
     * shared: it does not count the time a process waited for a core.
     */
    record Cpu(double server, double workers, double postgres) {
    }

    /**
     * CPU milliseconds used so far by each process: the server (key -1), the workers (-2, together)
     * and each backend of the database other than the harness's (by its pid).
     */
    private static Map<Long, Double> cpuNow(GnomonProcesses g, String db) throws SQLException {
        Map<Long, Double> cpu = new LinkedHashMap<>();
        cpu.put(-1L, Jvm.cpuMs(g.server.pid()));
        double workers = 0;
        for (Process w : g.workers) {
            workers += Jvm.cpuMs(w.pid());
        }
        cpu.put(-2L, workers);
        try (Connection c = DriverManager.getConnection(Pg.SERVER + db, Pg.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                 + " AND pid <> pg_backend_pid() AND query NOT LIKE 'VACUUM%'")) {
            while (rs.next()) {
                cpu.put(rs.getLong(1), Jvm.cpuMs(rs.getLong(1)));
            }
        }
        return cpu;
    }

    /** What each process used between two readings of {@link #cpuNow}, per 1,000 of {@code subTasks}; backends present at both. */
    private static Cpu cpuUsed(Map<Long, Double> before, Map<Long, Double> after, int subTasks) {
        double per = 1_000.0 / subTasks;
        double postgres = 0;
        for (Map.Entry<Long, Double> e : after.entrySet()) {
            if (e.getKey() >= 0 && before.containsKey(e.getKey())) {
                postgres += e.getValue() - before.get(e.getKey());
            }
        }
        return new Cpu((after.get(-1L) - before.get(-1L)) * per, (after.get(-2L) - before.get(-2L)) * per, postgres * per);
    }

    private MapReduceBench() {
    }

    /** Sub-tasks of each uncounted warm-up instance a run ends first, on the same server and workers. */
    static int warmupSize(int subTasks) {
        return Math.max(1_000, Math.min(20_000, subTasks / 10));
    }

    /**
     * One measured instance of {@code subTasks} sub-tasks, after uncounted warm-up instances on
     * the same processes (so that the measured one runs on compiled code, as a long-running
     * server does); {@code profile} records the server with JFR's profile settings.
     */
    static Run once(Path dir, String db, int subTasks, boolean profile) throws Exception {
        Pg.recreate(db);
        Files.createDirectories(dir);
        Path jfr = dir.resolve("server.jfr").toAbsolutePath();
        List<String> jvm = List.of(JfrOptions.recording(jfr, profile ? "profile" : "default"));
        Map<String, String> settings = Map.of("gnomon.db.url", Pg.SERVER + db, "gnomon.db.user", Pg.USER);
        Instant from;
        Instant to;
        double seconds;
        Cpu cpu;
        try (GnomonProcesses g = GnomonProcesses.start(dir, false, jvm, settings);
             Vacuum vacuum = Vacuum.start(db)) {
            AppCreated app = g.client.apps().create(GnomonProcesses.APP, "map-reduce benchmark");
            for (int i = 1; i <= WORKERS; i++) {
                g.workers.add(Jvm.start(dir.resolve("worker-" + i + ".log"), List.of(),
                    MapReduceWorker.class.getName(),
                    List.of(g.url(), GnomonProcesses.APP, app.secret(), Integer.toString(WORKER_MAX_TASKS))));
            }
            awaitCount(db, "workers online", "SELECT COUNT(*) FROM workers WHERE state = 'ONLINE'", WORKERS);
            warmUp(g, db, dir, warmupSize(subTasks));

            Map<Long, Double> cpuBefore = cpuNow(g, db);
            from = Instant.now();
            long t0 = System.nanoTime();
            instance(g, db, dir, subTasks, "map-count");
            seconds = (System.nanoTime() - t0) / 1e9;
            to = Instant.now();
            cpu = cpuUsed(cpuBefore, cpuNow(g, db), subTasks);
        }
        double[] heap = heap(jfr);
        return new Run(subTasks, seconds, heap[0], heap[1], from, to, cpu);
    }

    /**
     * A stand-in for autovacuum while PostgreSQL runs without it: a run updates each of a million
     * task rows two or three times, and without vacuum the dead row versions pile up in the table
     * and its indexes until every statement wades through them (on this machine's PostgreSQL, with
     * {@code autovacuum = off}, the rate fell from thousands to under 200 sub-tasks/s within a
     * few hundred thousand). Every {@value #VACUUM_EVERY_S} s it runs {@code VACUUM (ANALYZE)} on
     * {@code tasks}, from its own connection, as autovacuum would; with autovacuum on it does nothing.
     */
    static final class Vacuum implements AutoCloseable {

        private final Thread thread;
        private volatile boolean stopped;

        private Vacuum(Thread thread) {
            this.thread = thread;
        }

        static Vacuum start(String db) throws SQLException {
            try (Connection c = DriverManager.getConnection(Pg.SERVER + db, Pg.USER, "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW autovacuum")) {
                rs.next();
                if (rs.getString(1).equals("on")) {
                    return new Vacuum(null);
                }
            }
            Vacuum[] self = new Vacuum[1];
            Thread t = new Thread(() -> {
                while (!self[0].stopped) {
                    try {
                        Thread.sleep(VACUUM_EVERY_S * 1000L);
                    } catch (InterruptedException e) {
                        return;
                    }
                    try (Connection c = DriverManager.getConnection(Pg.SERVER + db, Pg.USER, "");
                         Statement s = c.createStatement()) {
                        s.execute("VACUUM (ANALYZE) tasks");
                    } catch (SQLException e) {
                        System.err.println("VACUUM of tasks failed: " + e.getMessage());
                    }
                }
            }, "bench-vacuum");
            t.setDaemon(true);
            self[0] = new Vacuum(t);
            t.start();
            return self[0];
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            if (thread != null) {
                thread.interrupt();
                thread.join(60_000);
            }
        }
    }

    static final int VACUUM_EVERY_S = 20;

    /**
     * Uncounted instances of {@code size} sub-tasks on the same processes until the JIT compilers
     * of the server and of every worker spent less than {@value JitTime#SETTLED} of the last one's
     * wall time compiling, at most {@value #WARM_UP_ROUNDS} of them: a long-running server has
     * compiled its hot paths long before, and on two cores the compilers of four JVMs would
     * otherwise take CPU from the measured instance (at 200,000 sub-tasks, half the server's).
     */
    private static void warmUp(GnomonProcesses g, String db, Path dir, int size) throws Exception {
        Map<String, Long> jvms = new LinkedHashMap<>();
        jvms.put("server", g.server.pid());
        for (int i = 0; i < g.workers.size(); i++) {
            jvms.put("worker " + (i + 1), g.workers.get(i).pid());
        }
        JitTime.warmUp("map-reduce", size + " sub-tasks", jvms, WARM_UP_ROUNDS,
            round -> instance(g, db, dir, size, "map-count-warm-up-" + round));
    }

    static final int WARM_UP_ROUNDS = 12;

    /**
     * Runs one instance of a new job of {@code subTasks} sub-tasks to its end and checks it: it
     * succeeded with every id counted once, and left exactly its root, sub-tasks and reduce.
     */
    private static void instance(GnomonProcesses g, String db, Path dir, int subTasks, String name) throws Exception {
        long job = g.client.jobs().create(new JobRequest(GnomonProcesses.APP, name, null, true,
            MapReduceWorker.PROCESSOR, Integer.toString(subTasks), ScheduleSpec.api(), ExecutionMode.MAP_REDUCE, 1,
            null, null, null, null, null, null)).id();
        long id = g.client.jobs().run(job, null).id();
        InstanceResource done = awaitEnd(g, id, dir);
        String expected = MapReduceWorker.expected(subTasks);
        if (done.state() != InstanceState.SUCCEEDED || !expected.equals(done.result())) {
            throw new IllegalStateException("instance " + id + " ended " + done.state() + " with '" + done.result()
                + "'; expected SUCCEEDED with '" + expected + "'");
        }
        long tasks = countIn(db, "SELECT COUNT(*) FROM tasks WHERE instance_id = " + id);
        if (tasks != subTasks + 2L) {
            throw new IllegalStateException("instance " + id + " has " + tasks + " task rows; expected "
                + (subTasks + 2L) + " (root, sub-tasks, reduce, each at its first attempt)");
        }
    }

    /** The largest heap used at any collection, and the largest after one, in MiB. */
    static double[] heap(Path jfr) throws IOException {
        if (!Files.exists(jfr)) {
            throw new IllegalStateException("no JFR recording at " + jfr + "; did the server stop cleanly?");
        }
        long peak = 0;
        long live = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.GCHeapSummary")) {
                continue;
            }
            long used = e.getLong("heapUsed");
            peak = Math.max(peak, used);
            if ("After GC".equals(e.getString("when"))) {
                live = Math.max(live, used);
            }
        }
        return new double[] {peak / MIB, live / MIB};
    }

    private static InstanceResource awaitEnd(GnomonProcesses g, long id, Path dir) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            InstanceResource i = g.client.instances().get(id);
            if (i.state().terminal()) {
                return i;
            }
            if (!g.server.isAlive()) {
                throw new IllegalStateException("the server exited; see " + dir.resolve("server.log"));
            }
            Jvm.sleep(100);
        }
        throw new IllegalStateException("instance " + id + " did not end within " + LIMIT.toMinutes() + " min");
    }

    private static long countIn(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(Pg.SERVER + db, Pg.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitCount(String db, String what, String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (countIn(db, sql) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within 60 s");
            }
            Jvm.sleep(100);
        }
    }

    /**
     * Runs {@code runs} measured instances (each after uncounted warm-up instances on the same
     * processes), then, with {@code profile}, one more with JFR's profile settings, and writes the
     * figures between the map-reduce markers of the page.
     */
    static void main(int runs, int subTasks, String db, boolean profile, Path out, Path page, String command)
            throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        List<Double> lives = new ArrayList<>();
        List<Double> serverCpu = new ArrayList<>();
        List<Double> workerCpu = new ArrayList<>();
        List<Double> postgresCpu = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Run run = once(out.resolve("map-" + r), db, subTasks, false);
            rates.add(run.rate());
            seconds.add(run.seconds());
            peaks.add(run.peakHeapMb());
            lives.add(run.peakLiveMb());
            serverCpu.add(run.cpu().server());
            workerCpu.add(run.cpu().workers());
            postgresCpu.add(run.cpu().postgres());
            System.out.printf(Locale.ROOT, "map-reduce run %d: %d sub-tasks in %.2f s, %.0f sub-tasks/s, server heap"
                + " peak %.0f MiB, live after GC at most %.0f MiB; CPU ms per 1,000 sub-tasks: server %.0f, workers"
                + " %.0f, PostgreSQL %.0f%n", r, subTasks, run.seconds(), run.rate(), run.peakHeapMb(), run.peakLiveMb(),
                run.cpu().server(), run.cpu().workers(), run.cpu().postgres());
        }
        String profileText = "";
        if (profile) {
            Path dir = out.resolve("map-profiled");
            Run run = once(dir, db, subTasks, true);
            System.out.printf(Locale.ROOT, "map-reduce profiled run: %.0f sub-tasks/s (not counted)%n", run.rate());
            profileText = "\n#### Profile of the server during one more run (JFR, `settings=profile`; " + String.format(
                Locale.ROOT, "%.0f", run.rate()) + " sub-tasks/s, not counted)\n\n"
                + JfrSummary.summarize(dir.resolve("server.jfr"), 12, run.from(), run.to());
            Files.writeString(out.resolve("map-profile.md"), profileText);
        }
        double rate = Stats.median(rates);
        double peak = Stats.median(peaks);
        boolean met = rate >= 20_000 && Collections.max(peaks) < 512;
        String body = "Produced by `" + command + "` on " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".\n\n"
            + "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name")
            + " " + System.getProperty("os.version") + ", Java " + Runtime.version() + ". PostgreSQL on loopback: "
            + Pg.settings() + ".\n\n"
            + "One server process on PostgreSQL (default JVM options, JFR recording with its default settings) and "
            + WORKERS + " worker processes of " + WORKER_MAX_TASKS + " task slots each; one MAP_REDUCE instance whose"
            + " root emits " + subTasks + " no-op sub-tasks (`ctx.map` in lists of " + MapReduceWorker.EMIT_CHUNK
            + "), each returning its id, and whose reduce counts the results as a stream and checks every id came"
            + " once. Time: from the run request until the instance ended (the reduce included). Server heap:"
            + " the largest `heapUsed` of the server's `jdk.GCHeapSummary` JFR events, before or after a"
            + " collection, and the largest after one (the warm-up included); the recording leaves out Jdbi's"
            + " per-statement event, a cost of recording, not of Gnomon. CPU: what the server, the workers together"
            + " and the PostgreSQL backends of the benchmark's database (the server's connections; not the"
            + " harness's vacuum) used during the measured instance, user and system, per 1,000 sub-tasks; it"
            + " does not count time spent waiting for a core, so it varies less than the rate on a shared machine."
            + " In each run uncounted warm-up instances"
            + " of a tenth as many sub-tasks (at least 1,000, at most 20,000) end first on the same server and workers, until the"
            + " JIT compilers of the server and of each worker spent under " + Math.round(JitTime.SETTLED * 100)
            + " % of the last one's time compiling (at most " + WARM_UP_ROUNDS + "; `jcmd <pid> PerfCounter.print`,"
            + " `java.ci.totalTime`), so the measured one runs on compiled code, as on a long-running server."
            + " This PostgreSQL runs with autovacuum "
            + ("off".equals(Pg.settings().get("autovacuum")) ? "off, so the harness runs `VACUUM (ANALYZE) tasks` every "
            + VACUUM_EVERY_S + " s during each run, as autovacuum would" : "on") + ". Each cell: median (smallest–largest, ± half the range as a share of the median).\n\n"
            + "| figure | goal | median (spread) | runs |\n| --- | --- | --- | --- |\n"
            + row("sub-tasks per second", "≥ 20,000/s", rates, "%.0f")
            + row("seconds until the instance ended", "", seconds, "%.1f")
            + row("server heap used, peak (MiB)", "< 512 MiB", peaks, "%.0f")
            + row("server heap live after a collection, peak (MiB)", "", lives, "%.0f")
            + row("CPU per 1,000 sub-tasks, server (ms)", "", serverCpu, "%.0f")
            + row("CPU per 1,000 sub-tasks, both workers (ms)", "", workerCpu, "%.0f")
            + row("CPU per 1,000 sub-tasks, PostgreSQL backends (ms)", "", postgresCpu, "%.0f")
            + "\nGoal (≥ 20,000 sub-tasks/s with the owner's heap under 512 MiB): "
            + (met ? "met" : "**missed**") + String.format(Locale.ROOT, " (median %.0f sub-tasks/s, heap peak median"
            + " %.0f MiB).", rate, peak) + "\n" + profileText;
        Report.write(page, body, "<!-- map-reduce:start -->", "<!-- map-reduce:end -->");
        System.out.println(body);
    }

    private static String row(String figure, String goal, List<Double> values, String format) {
        return "| " + figure + " | " + goal + " | " + Stats.describe(values, format) + " | "
            + String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList()) + " |\n";
    }
}
