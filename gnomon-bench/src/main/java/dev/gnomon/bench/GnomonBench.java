package dev.gnomon.bench;

import dev.gnomon.protocol.api.ScheduleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Gnomon's side: a server process on PostgreSQL and noop worker processes, driven through the API. */
final class GnomonBench {

    static final String NAME = "Gnomon";
    static final int CLIENTS = 16;
    static final int WORKER_MAX_TASKS = 256;
    static final int BATCH = 100;

    private final Results results;
    private final List<String> serverJvmArgs;
    /** When each phase of the last throughput run began and ended, to cut a profile into phases. */
    final java.util.Map<String, Instant[]> phases = new java.util.LinkedHashMap<>();

    GnomonBench(Results results, List<String> serverJvmArgs) {
        this.results = results;
        this.serverJvmArgs = serverJvmArgs;
    }

    /**
     * M3 (single calls from 16 clients, with no worker connected), then M1 and M2 (the worker
     * starts and drains the queue), then M5 on the idle system.
     */
    void throughput(Path dir, int n, int latencySamples) throws Exception {
        Pg.recreate();
        try (GnomonProcesses g = GnomonProcesses.start(dir, true, serverJvmArgs)) {
            Process worker = warmUp(g, n);
            long job = g.createNoopJob(ScheduleSpec.api(), "noop");
            int accepted = singleSubmit(g, job, n);
            batchSubmit(g, n);

            Jvm.sleep(Pg.FLUSH_WAIT_MS);
            Pg.Counters before = Pg.counters();
            long statements = Pg.statements();
            Instant m1Start = Instant.now();
            g.connect(worker, true);
            Duration limit = Duration.ofSeconds(60 + n / 100);
            int polls = awaitDrained(limit);
            phases.put("M1 drain, one worker process", new Instant[] {m1Start, Instant.now()});
            if (polls < 0) {
                results.note("m1.throughput", NAME, "not drained within " + limit.toSeconds() + " s (run aborted)");
                return;
            }
            if (statements >= 0) {
                results.add("m2.statements", NAME, (Pg.statements() - statements) / (double) accepted);
            }
            try (Connection c = Pg.connect(); Statement s = c.createStatement();
                 // M1 starts when the worker connected again, after M3: its latest connection
                 ResultSet rs = s.executeQuery("SELECT (SELECT MAX(connected_at) FROM workers),"
                     + " MAX(finished_at), COUNT(*) FILTER (WHERE state = 'SUCCEEDED') FROM instances")) {
                rs.next();
                long start = rs.getLong(1);
                long end = rs.getLong(2);
                long succeeded = rs.getLong(3);
                if (succeeded < accepted) {
                    results.note("m1.throughput", NAME, (accepted - succeeded) + " instances did not succeed");
                }
                results.add("m1.seconds", NAME, (end - start) / 1000.0);
                results.add("m1.throughput", NAME, succeeded / ((end - start) / 1000.0));
            }
            Jvm.sleep(Pg.FLUSH_WAIT_MS);
            Pg.Counters delta = Pg.counters().minus(before);
            // The harness's own polls and the counters read are transactions too; take them out.
            results.add("m2.commits", NAME, (delta.commits() - polls - 1) / (double) accepted);
            results.add("m2.rows", NAME, delta.written() / (double) accepted);

            idleLatency(g, job, latencySamples);
        }
    }

    /**
     * Uncounted rounds of what M3 and M1 do, on a job of their own, until the server's JIT
     * compilers spent under {@value JitTime#SETTLED} of a round's wall time compiling
     * and those of the worker process (at most {@value #WARM_UP_ROUNDS} rounds): a tenth of
     * {@code n} (at least 500) single calls, as many in batches, drained by the worker process.
     * The worker then leaves the server (its process stays, see {@link NoopWorker}) and the job is
     * deleted with its instances, so that M3 starts with no worker connected and M1 drains only
     * its own instances, with a server and a worker process whose paths are compiled, as
     * long-running ones' are. Returns the worker process, for M1 to connect again.
     */
    private Process warmUp(GnomonProcesses g, int n) throws Exception {
        long job = g.createNoopJob(ScheduleSpec.api(), "warm-up");
        Process worker = g.startWorker("worker", WORKER_MAX_TASKS, List.of());
        int calls = Math.max(500, n / 10);
        List<String> batch = new ArrayList<>(Collections.nCopies(BATCH, null));
        JitTime.warmUp("throughput", calls + " single calls and " + calls / BATCH * BATCH + " in batches",
            Map.of("the server", g.server.pid(), "the worker", worker.pid()), WARM_UP_ROUNDS, round -> {
                submit(() -> g.client.jobs().run(job, null), calls, Duration.ofSeconds(60 + calls / 50));
                submit(() -> g.client.jobs().runAll(job, batch), Math.max(1, calls / BATCH),
                    Duration.ofSeconds(60 + calls / 500));
                if (awaitDrained(Duration.ofSeconds(60 + calls / 50)) < 0) {
                    throw new IllegalStateException("the warm-up instances did not drain; see "
                        + g.dir.resolve("server.log"));
                }
            });
        g.connect(worker, false);
        g.client.jobs().delete(job);
        return worker;
    }

    static final int WARM_UP_ROUNDS = 15;

    /**
     * M3 alone, for {@code bench/run submit}: single calls, then batches, on a fresh database with
     * no worker connected. When the database is reached through {@link Pg#wire}, the figures are
     * the statements and round trips per call instead. {@code n} runs in single calls, {@code batched}
     * in batches.
     */
    void submitOnly(Path dir, int n, int batched) throws Exception {
        Pg.recreate();
        try (GnomonProcesses g = GnomonProcesses.start(dir, true, serverJvmArgs)) {
            long job = g.createNoopJob(ScheduleSpec.api(), "noop");
            if (Pg.wire == null) {
                singleSubmit(g, job, n);
                batchSubmit(g, batched);
                return;
            }
            long statements = Pg.statements();
            long trips = Pg.roundTrips();
            int accepted = submit(() -> g.client.jobs().run(job, null), n, Duration.ofSeconds(60 + n / 20));
            results.add("m3.single.statements", NAME, (Pg.statements() - statements) / (double) accepted);
            results.add("m3.single.trips", NAME, (Pg.roundTrips() - trips) / (double) accepted);
            long batchJob = g.createNoopJob(ScheduleSpec.api(), "noop-batched");
            List<String> batch = new ArrayList<>(Collections.nCopies(BATCH, null));
            statements = Pg.statements();
            trips = Pg.roundTrips();
            int batches = submit(() -> g.client.jobs().runAll(batchJob, batch), Math.max(1, batched / BATCH),
                Duration.ofSeconds(60 + n / 20));
            results.add("m3.batch.statements", NAME, (Pg.statements() - statements) / (double) batches);
            results.add("m3.batch.trips", NAME, (Pg.roundTrips() - trips) / (double) batches);
        }
    }

    /** M3 single: {@code n} run-now calls from {@value #CLIENTS} clients; returns how many were accepted. */
    private int singleSubmit(GnomonProcesses g, long job, int n) throws Exception {
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        int accepted = submit(() -> g.client.jobs().run(job, null), n, Duration.ofSeconds(60 + n / 50));
        double secs = (System.nanoTime() - t0) / 1e9;
        phases.put("M3 submit, single calls from 16 clients, no worker connected", new Instant[] {start, Instant.now()});
        if (accepted < n) {
            results.note("m3.single", NAME, "only " + accepted + " of " + n + " accepted before the time limit");
        }
        results.add("m3.single", NAME, accepted / secs);
        return accepted;
    }

    /**
     * M3 batched: {@code n} runs of a second job in batches of {@value #BATCH} from 16 clients, with
     * no worker connected; the job and its instances are deleted afterwards so that M1 drains the
     * same {@code n} as for the peers.
     */
    private void batchSubmit(GnomonProcesses g, int n) throws Exception {
        long job = g.createNoopJob(ScheduleSpec.api(), "noop-batched");
        List<String> batch = new ArrayList<>(Collections.nCopies(BATCH, null));
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        int batches = submit(() -> {
            if (g.client.jobs().runAll(job, batch).instanceIds().size() != BATCH) {
                throw new IllegalStateException("a batch of " + BATCH + " was answered with another count");
            }
        }, n / BATCH, Duration.ofSeconds(60 + n / 500));
        double secs = (System.nanoTime() - t0) / 1e9;
        phases.put("M3 submit, batches of " + BATCH + " from 16 clients, no worker connected",
            new Instant[] {start, Instant.now()});
        results.add("m3.batch", NAME, batches * BATCH / secs);
        g.client.jobs().delete(job);
    }

    private void idleLatency(GnomonProcesses g, long job, int samples) throws Exception {
        double[] ms = new double[samples];
        try (Connection c = Pg.connect();
             PreparedStatement q = c.prepareStatement("SELECT state, result FROM instances WHERE id = ?")) {
            for (int i = 0; i < samples; i++) {
                Jvm.sleep(200);
                long trigger = Jvm.micros();
                long id = g.client.jobs().run(job, null).id();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String result = null;
                while (result == null && System.nanoTime() < deadline) {
                    Jvm.sleep(5);
                    q.setLong(1, id);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next() && "SUCCEEDED".equals(rs.getString(1))) {
                            result = rs.getString(2);
                        }
                    }
                }
                if (result == null) {
                    results.note("m5", NAME, "instance " + id + " did not finish within 10 s; run aborted");
                    return;
                }
                ms[i] = (Long.parseLong(result) - trigger) / 1000.0;
            }
        }
        Latencies l = Latencies.ofMillis(ms);
        results.add("m5.p50", NAME, l.p50());
        results.add("m5.p99", NAME, l.p99());
    }

    /**
     * M4: {@code n} one-shot jobs due over {@code spread}; lateness = processor start minus due time.
     * Uncounted warm-up timers ({@link #LATENESS_WARM_UP}) run first, on jobs of their own.
     */
    void lateness(Path dir, int n, Duration spread) throws Exception {
        Pg.recreate();
        try (GnomonProcesses g = GnomonProcesses.start(dir, true, serverJvmArgs)) {
            g.createNoopJob(ScheduleSpec.api(), "warm-up");
            g.startWorker("worker", WORKER_MAX_TASKS, List.of());
            int warmUp = latenessWarmUp(n);
            Instant warmBase = Instant.now().plusSeconds(5);
            long warmStep = LATENESS_WARM_UP.toNanos() / 1000 / warmUp;
            AtomicInteger nextWarm = new AtomicInteger();
            submit(() -> {
                int i = nextWarm.getAndIncrement();
                g.createNoopJob(ScheduleSpec.oneShot(warmBase.plusNanos(i * warmStep * 1000)), "w" + i);
            }, warmUp, LATENESS_WARM_UP);
            Instant warmDeadline = warmBase.plus(LATENESS_WARM_UP).plusSeconds(60);
            while (Instant.now().isBefore(warmDeadline) && liveOrPending(warmBase) > 0) {
                Jvm.sleep(200);
            }
            System.out.println("lateness warm-up: " + warmUp + " timers over " + LATENESS_WARM_UP.toSeconds()
                + " s (not counted)");
            // Job creation runs at the speed M3 measures: leave it time to finish before the first is due.
            Instant base = Instant.now().plusSeconds(15 + n / 40);
            long stepMicros = spread.toNanos() / 1000 / n;
            AtomicInteger next = new AtomicInteger();
            int created = submit(() -> {
                int i = next.getAndIncrement();
                Instant at = base.plusNanos(((i * stepMicros) / 1000) * 1_000_000L);
                g.createNoopJob(ScheduleSpec.oneShot(at), "t" + i);
            }, n, spread.plusSeconds(20));
            Instant deadline = base.plus(spread).plusSeconds(60);
            while (Instant.now().isBefore(deadline) && liveOrPending(base) > 0) {
                Jvm.sleep(500);
            }
            List<Double> late = new ArrayList<>();
            int early = 0;
            int createdLate = 0;
            try (Connection c = Pg.connect(); Statement s = c.createStatement();
                 // the measured timers' jobs are t0, t1, ...; the warm-up's w0, w1, ...
                 ResultSet rs = s.executeQuery("SELECT i.scheduled_at, i.result, j.created_at FROM instances i"
                     + " JOIN jobs j ON j.id = i.job_id WHERE i.trigger_kind = 'SCHEDULE' AND i.state = 'SUCCEEDED'"
                     + " AND j.name LIKE 't%'")) {
                while (rs.next()) {
                    double ms = Long.parseLong(rs.getString(2)) / 1000.0 - rs.getLong(1);
                    late.add(ms);
                    early += ms < 0 ? 1 : 0;
                    createdLate += rs.getLong(3) > rs.getLong(1) ? 1 : 0;
                }
            }
            if (late.size() < n) {
                results.note("m4", NAME, (n - late.size()) + " of " + n + " timers had not run 60 s after the last"
                    + " was due" + (created < n ? " (" + (n - created) + " never created)" : ""));
            }
            if (createdLate > 0) {
                results.note("m4", NAME, createdLate + " jobs were created after their due time (creation too slow)");
            }
            if (late.isEmpty()) {
                return;
            }
            Latencies l = Latencies.ofMillis(late.stream().mapToDouble(Double::doubleValue).toArray());
            results.add("m4.p50", NAME, l.p50());
            results.add("m4.p99", NAME, l.p99());
            results.add("m4.max", NAME, l.max());
            results.add("m4.early", NAME, early);
        }
    }

    /**
     * How long the uncounted warm-up timers of M4 are spread over, for Gnomon and for each peer:
     * without them the first second of timers is the one in which the scheduler's and the worker's
     * timer and dispatch paths are compiled (timers due in it were over 100 ms late, and set the
     * p99, where those due after 5 s were within 25 ms).
     */
    static final Duration LATENESS_WARM_UP = Duration.ofSeconds(10);

    /** The number of M4 warm-up timers: a quarter of the measured ones, at least 200. */
    static int latenessWarmUp(int n) {
        return Math.max(200, n / 4);
    }

    private static long liveOrPending(Instant base) throws Exception {
        try (Connection c = Pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM jobs WHERE next_fire_at IS NOT NULL AND enabled)"
                 + " + (SELECT COUNT(*) FROM instances WHERE state IN ('WAITING', 'DISPATCHED', 'RUNNING'))")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Footprint: start to ready on H2, then idle resident memory of the server and of a worker agent. */
    void footprint(Path dir) throws Exception {
        try (GnomonProcesses g = GnomonProcesses.start(dir, false, List.of())) {
            results.add("fp.ready", NAME, g.readyMs);
            g.createNoopJob(ScheduleSpec.api(), "noop");
            Process agent = g.startAgent("agent");
            Jvm.sleep(20_000);
            results.add("fp.server.rss", NAME, Jvm.rssMb(g.server.pid()));
            results.add("fp.worker.rss", NAME, Jvm.rssMb(agent.pid()));
        }
        Path archive = classDataArchive(dir.getParent());
        try (GnomonProcesses g = GnomonProcesses.start(dir.resolve("with-archive"), false,
            List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"))) {
            results.add("fp.ready.cds", NAME, g.readyMs);
        }
    }

    /**
     * The class-data archive the {@code gnomon} launcher makes before a server's first start: a
     * training {@code gnomon up} that exits once started, run once per bench run. Made for the
     * harness's jar, since an archive only serves the class path it was made with.
     */
    private static Path classDataArchive(Path out) throws Exception {
        Path archive = out.resolve("gnomon.jsa");
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        Path training = out.resolve("cds-training");
        Process p = Jvm.start(training.resolve("training.log"), List.of("-XX:ArchiveClassesAtExit=" + archive),
            "dev.gnomon.cli.Gnomon", List.of("up", "--data-dir", training.resolve("data").toString(), "--port", "0",
                "--exit-when-started"));
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(archive)) {
            p.destroyForcibly();
            throw new IllegalStateException("the class-data training start failed; see " + training.resolve("training.log"));
        }
        return archive;
    }

    /** Polls until no instance is live; returns the number of polls, or -1 at the time limit. */
    static int awaitDrained(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        int polls = 0;
        try (Connection c = Pg.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            while (System.nanoTime() < deadline) {
                Jvm.sleep(200);
                polls++;
                try (ResultSet rs = s.executeQuery(
                    "SELECT COUNT(*) FROM instances WHERE state IN ('WAITING', 'DISPATCHED', 'RUNNING')")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return polls;
                    }
                }
            }
        }
        return -1;
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call} {@code n} times from {@link #CLIENTS} threads; returns how many succeeded in time. */
    static int submit(Call call, int n, Duration limit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long deadline = System.nanoTime() + limit.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            futures.add(pool.submit(() -> {
                while (started.getAndIncrement() < n && System.nanoTime() < deadline) {
                    call.run();
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get();
    }
}
