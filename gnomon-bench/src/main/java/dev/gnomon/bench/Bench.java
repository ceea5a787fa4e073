package dev.gnomon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The benchmark command: {@code java -jar gnomon-bench.jar all [--runs 3] [--n 10000] [--timers 10000]
 * [--peers db-scheduler,quartz,jobrunr] [--samples 100] [--no-profile] [--no-statements] [--page BENCHMARKS.md]}. Also
 * {@code throughput}, {@code lateness}, {@code footprint}, {@code worker-failover [--variant default|fast]} for one group
 * ({@code failover}, the server half of M6 on three servers, writes its own block),
 * {@code logs [--lines 1000000]} for the log throughput figures, {@code map-reduce [--subtasks 1000000]
 * [--no-profile]} for the map-reduce figures of issue 5 (on {@code gnomon_bench_map} unless {@code --db} names
 * another), and {@code submit [--batch-n N]} for M3 alone (printed, not written to the page; {@code --batch-n}
 * runs in batches, default {@code --n}). {@code --db NAME} runs on another database than
 * {@value Pg#DEFAULT_DB}; each run drops and creates it. Each run is bounded in
 * time; a run that hits its limit is reported, not hidden.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        String what = argv.length == 0 ? "all" : argv[0];
        for (int i = 1; i < argv.length; i++) {
            String key = argv[i].replaceFirst("^--", "");
            boolean flag = i + 1 >= argv.length || argv[i + 1].startsWith("--");
            opt.put(key, flag ? "true" : argv[++i]);
        }
        int runs = Integer.parseInt(opt.getOrDefault("runs", "3"));
        int n = Integer.parseInt(opt.getOrDefault("n", "10000"));
        int timers = Integer.parseInt(opt.getOrDefault("timers", "10000"));
        int samples = Integer.parseInt(opt.getOrDefault("samples", "100"));
        boolean profile = !opt.containsKey("no-profile");
        // M3 alone is for measuring Gnomon's own change quickly: peers only when asked for.
        String defaultPeers = what.equals("submit") ? "" : "db-scheduler,quartz,jobrunr";
        List<String> peerNames = List.of(opt.getOrDefault("peers", defaultPeers).split(","));
        Path page = Path.of(opt.getOrDefault("page", "BENCHMARKS.md"));
        Path out = Path.of(opt.getOrDefault("out", "bench/out"))
            .resolve(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""));
        Files.createDirectories(out);

        Pg.db = Pg.checkedName(opt.getOrDefault("db", Pg.DEFAULT_DB));
        if (what.equals("failover")) {
            FailoverBench.main(Integer.parseInt(opt.getOrDefault("runs", "5")), out, page,
                "bench/run " + String.join(" ", argv));
            return;
        }
        if (what.equals("logs")) {
            LogBench.main(Integer.parseInt(opt.getOrDefault("runs", "3")),
                Integer.parseInt(opt.getOrDefault("lines", "1000000")), out, page, "bench/run " + String.join(" ", argv));
            return;
        }
        if (what.equals("map-reduce")) {
            MapReduceBench.main(Integer.parseInt(opt.getOrDefault("runs", "3")),
                Integer.parseInt(opt.getOrDefault("subtasks", "1000000")), Pg.checkedName(opt.getOrDefault("db", MapReduceBench.DB)),
                profile, out, page, "bench/run " + String.join(" ", argv));
            return;
        }
        Results results = new Results();
        GnomonBench gnomon = new GnomonBench(results, List.of());
        Map<String, Supplier<Peer>> peers = new LinkedHashMap<>();
        for (String p : peerNames) {
            switch (p.strip()) {
                case "db-scheduler" -> peers.put("db-scheduler", DbSchedulerPeer::new);
                case "quartz" -> peers.put("Quartz", QuartzPeer::new);
                case "jobrunr" -> peers.put("JobRunr", JobRunrPeer::new);
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown peer '" + p + "'; known: db-scheduler, quartz, jobrunr");
            }
        }
        List<String> settings = new ArrayList<>();
        for (Supplier<Peer> s : peers.values()) {
            try (Peer p = s.get()) {
                settings.add("- " + p.settings());
            }
        }
        if (what.equals("submit")) {
            int batched = Integer.parseInt(opt.getOrDefault("batch-n", Integer.toString(n)));
            submit(results, gnomon, peers, runs, n, batched, out, !opt.containsKey("no-statements"), argv);
            return;
        }
        long began = System.nanoTime();
        boolean all = what.equals("all");
        String profileText = null;
        for (int run = 1; run <= runs; run++) {
            if (all || what.equals("throughput")) {
                step("throughput run " + run + ": Gnomon, n=" + n,
                    () -> gnomon.throughput(out.resolve("gnomon-throughput-" + System.nanoTime()), n, samples));
                for (var e : peers.entrySet()) {
                    PeerBench pb = new PeerBench(results, e.getValue());
                    step("throughput run " + run + ": " + e.getKey() + ", n=" + n, () -> pb.throughput(n, samples));
                }
            }
        }
        if ((all || what.equals("throughput")) && !opt.containsKey("no-statements")) {
            countStatements(results, out, peers, n);
        }
        for (int run = 1; run <= runs; run++) {
            Path dir = out.resolve("gnomon-footprint-" + run);
            if (all || what.equals("footprint")) {
                step("footprint run " + run, () -> gnomon.footprint(dir));
            }
        }
        WorkerFailoverBench workerFailover = new WorkerFailoverBench(results);
        List<WorkerFailoverBench.Variant> variants = WorkerFailoverBench.variants(opt.getOrDefault("variant", "all"));
        for (int run = 1; run <= runs; run++) {
            if (all || what.equals("worker-failover")) {
                for (WorkerFailoverBench.Variant v : variants) {
                    Path dir = out.resolve("gnomon-" + v.key() + "-" + run);
                    step("worker failover run " + run + ": " + v.label(), () -> workerFailover.once(dir, v));
                }
            }
        }
        int latenessRuns = Integer.parseInt(opt.getOrDefault("lateness-runs", Integer.toString(runs)));
        for (int run = 1; run <= latenessRuns; run++) {
            if (all || what.equals("lateness")) {
                step("lateness run " + run + ": Gnomon, " + timers + " timers over 60 s",
                    () -> gnomon.lateness(out.resolve("gnomon-lateness-" + System.nanoTime()), timers,
                        Duration.ofSeconds(60)));
                for (var e : peers.entrySet()) {
                    PeerBench pb = new PeerBench(results, e.getValue());
                    step("lateness run " + run + ": " + e.getKey(), () -> pb.lateness(timers, Duration.ofSeconds(60)));
                }
            }
        }
        if (profile && (all || what.equals("throughput"))) {
            Path jfr = out.resolve("gnomon-server-m1.jfr").toAbsolutePath();
            Results scratch = new Results();
            GnomonBench profiled = new GnomonBench(scratch,
                List.of(JfrOptions.recording(jfr, "profile")));
            step("profiled throughput run (JFR on the server; figures not counted)",
                () -> profiled.throughput(out.resolve("gnomon-profiled"), n, 10));
            if (Files.exists(jfr)) {
                StringBuilder text = new StringBuilder();
                for (var phase : profiled.phases.entrySet()) {
                    text.append("#### ").append(phase.getKey()).append("\n\n").append(JfrSummary.summarize(jfr, 12,
                        phase.getValue()[0], phase.getValue()[1]));
                }
                profileText = text.toString();
                Files.writeString(out.resolve("profile.md"), profileText);
            }
        }

        Files.writeString(out.resolve("results.csv"), results.csv());
        StringBuilder body = new StringBuilder();
        body.append("Produced by `bench/run ").append(String.join(" ", argv)).append("` on ")
            .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" in ")
            .append(Math.round((System.nanoTime() - began) / 60e9)).append(" min; raw figures in `")
            .append(out).append("/results.csv`.\n\n");
        body.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
            .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
            .append(", Java ").append(Runtime.version()).append(". PostgreSQL on loopback: ")
            .append(Pg.settings()).append(".\n\n");
        body.append("Each cell: median over the runs (smallest–largest, ± half the range as a share of the median),"
            + " n = runs that gave a figure. M1 and M2 use n = ").append(n).append(" instances; M4 ").append(timers)
            .append(" timers; M5 ").append(samples).append(" triggers per run.\n\n");
        body.append(Report.table(results)).append('\n');
        String notes = Report.notes(results);
        if (!notes.isEmpty()) {
            body.append("Runs that gave no figure, or a partial one:\n\n").append(notes).append('\n');
        }
        body.append("Peer settings used:\n\n").append(String.join("\n", settings)).append("\n\n");
        if (profileText != null) {
            body.append("### Profile of Gnomon's server during M1 (JFR, `settings=profile`)\n\n").append(profileText);
        }
        Report.write(page, body.toString());
        System.out.println(body);
    }

    /**
     * M3 alone: {@code runs} rounds of Gnomon's submit figures (and the peers' with {@code --peers}),
     * then one counting run through {@link PgWire} for the statements and round trips of one call.
     * Prints the table and writes {@code results.csv}; BENCHMARKS.md is left alone, as this is a
     * part of the figures only.
     */
    private static void submit(Results results, GnomonBench gnomon, Map<String, Supplier<Peer>> peers, int runs, int n,
                               int batched, Path out, boolean statements, String[] argv) throws Exception {
        String sizes = "n=" + n + " single, " + batched + " batched";
        for (int run = 1; run <= runs; run++) {
            step("submit run " + run + ": Gnomon, " + sizes + ", database " + Pg.db,
                () -> gnomon.submitOnly(out.resolve("gnomon-submit-" + System.nanoTime()), n, batched));
            for (var e : peers.entrySet()) {
                PeerBench pb = new PeerBench(results, e.getValue());
                step("submit run " + run + ": " + e.getKey() + ", " + sizes, () -> pb.submitOnly(n, batched));
            }
        }
        if (statements) {
            try (PgWire wire = PgWire.start()) {
                Pg.wire = wire;
                int calls = Math.min(n, 2000);
                step("statement count run: Gnomon, " + calls + " calls", () -> new GnomonBench(results, List.of())
                    .submitOnly(out.resolve("gnomon-submit-statements"), calls, calls));
            } finally {
                Pg.wire = null;
            }
        }
        Files.writeString(out.resolve("results.csv"), results.csv());
        System.out.println("Produced by `bench/run " + String.join(" ", argv) + "`; raw figures in `" + out
            + "/results.csv`.\n\n" + Report.table(results, Report.SUBMIT_FIGURES));
    }

    /**
     * M2 statements: one more throughput run per system with the database reached through a
     * counting relay ({@link PgWire}); only the statement count of that run is kept, as the relay
     * costs time.
     */
    private static void countStatements(Results results, Path out, Map<String, Supplier<Peer>> peers, int n)
            throws Exception {
        try (PgWire wire = PgWire.start()) {
            Pg.wire = wire;
            Results scratch = new Results();
            step("statement count run: Gnomon, n=" + n, () -> new GnomonBench(scratch, List.of())
                .throughput(out.resolve("gnomon-statements"), n, 5));
            for (var e : peers.entrySet()) {
                step("statement count run: " + e.getKey() + ", n=" + n,
                    () -> new PeerBench(scratch, e.getValue()).throughput(n, 5));
            }
            for (String system : Report.SYSTEMS) {
                scratch.get("m2.statements", system).forEach(v -> results.add("m2.statements", system, v));
            }
        } finally {
            Pg.wire = null;
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static void step(String what, Step step) {
        System.out.println("== " + what);
        long t0 = System.nanoTime();
        try {
            step.run();
        } catch (Exception e) {
            System.out.println("  FAILED: " + e);
            e.printStackTrace(System.out);
        }
        System.out.printf("   (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }
}
