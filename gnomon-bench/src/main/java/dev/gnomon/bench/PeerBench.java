package dev.gnomon.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The same metrics as {@link GnomonBench}, for a peer used as a library in this JVM. */
final class PeerBench {

    private final Results results;
    private final Supplier<Peer> peers;

    PeerBench(Results results, Supplier<Peer> peers) {
        this.results = results;
        this.peers = peers;
    }

    /**
     * M3 single (16 client threads, scheduler not started), M1 and M2 (start and drain), M5 idle, M3
     * batched; after uncounted rounds of M3 single and M1 on a tenth as many jobs (at least 500),
     * each on a fresh database, until this JVM's JIT compilers spent under
     * {@value JitTime#SETTLED} of a round's wall time compiling (at most
     * {@value #WARM_UP_ROUNDS} rounds), as Gnomon's server is warmed up.
     */
    void throughput(int n, int latencySamples) throws Exception {
        int jobs = Math.max(500, n / 10);
        String name;
        try (Peer peer = peers.get()) {
            name = peer.name();
        }
        JitTime.warmUp("throughput", name + ", " + jobs + " jobs", Map.of("this JVM", ProcessHandle.current().pid()),
            WARM_UP_ROUNDS, round -> cycle(new Results(), jobs, 0, false));
        cycle(results, n, latencySamples, true);
    }

    /**
     * At most this many warm-up rounds of a peer. Fewer than Gnomon's: a peer's code runs in this
     * JVM, which stays warm from one run to the next, and a round of the slowest peer (Quartz) takes
     * ten seconds or more.
     */
    static final int WARM_UP_ROUNDS = 6;

    /** One run of the throughput metrics into {@code into}; M5 and M3 batched only when {@code measured}. Returns the peer's name. */
    private String cycle(Results into, int n, int latencySamples, boolean measured) throws Exception {
        Pg.recreate();
        Peer.STARTS.clear();
        try (Peer peer = peers.get()) {
            String name = peer.name();
            peer.setUp();
            AtomicInteger next = new AtomicInteger();
            Instant due = Instant.now();
            long t0 = System.nanoTime();
            int accepted = GnomonBench.submit(() -> peer.submit("m1-" + next.getAndIncrement(), due), n,
                Duration.ofSeconds(60 + n / 50));
            into.add("m3.single", name, accepted / ((System.nanoTime() - t0) / 1e9));

            if (measured) {
                Jvm.sleep(Pg.FLUSH_WAIT_MS);
            }
            Pg.Counters before = Pg.counters();
            long statements = Pg.statements();
            long start = System.nanoTime();
            peer.start();
            long deadline = start + Duration.ofSeconds(60 + n / 100).toNanos();
            int polls = 0;
            long left = accepted;
            while (left > 0 && System.nanoTime() < deadline) {
                Jvm.sleep(20);
                left = peer.pending();
                polls++;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            if (left > 0) {
                into.note("m1.throughput", name, left + " jobs left at the time limit (run aborted)");
                return name;
            }
            if (statements >= 0) {
                into.add("m2.statements", name, (Pg.statements() - statements) / (double) accepted);
            }
            into.add("m1.seconds", name, secs);
            into.add("m1.throughput", name, accepted / secs);
            if (!measured) {
                return name;
            }
            Jvm.sleep(Pg.FLUSH_WAIT_MS);
            Pg.Counters delta = Pg.counters().minus(before);
            into.add("m2.commits", name, (delta.commits() - polls - 1) / (double) accepted);
            into.add("m2.rows", name, delta.written() / (double) accepted);

            idleLatency(peer, latencySamples);
            peer.stop();

            batchSubmit(peer, name, "m3-", n);
            return name;
        }
    }

    /** M3 batched: {@code n} jobs in batches of 100 from 16 clients; keys start with {@code prefix}. */
    private void batchSubmit(Peer peer, String name, String prefix, int n) throws Exception {
        if (!peer.submitBatch(List.of(prefix + "probe"))) {
            results.note("m3.batch", name, "no batch call");
            return;
        }
        AtomicInteger batch = new AtomicInteger();
        long b0 = System.nanoTime();
        int batches = GnomonBench.submit(() -> {
            int b = batch.getAndIncrement();
            List<String> chunk = new ArrayList<>(100);
            for (int i = 0; i < 100; i++) {
                chunk.add(prefix + b + "-" + i);
            }
            peer.submitBatch(chunk);
        }, n / 100, Duration.ofSeconds(60 + n / 500));
        results.add("m3.batch", name, batches * 100 / ((System.nanoTime() - b0) / 1e9));
    }

    /**
     * M3 alone, for {@code bench/run submit}: {@code n} single calls, then {@code batched} in batches of
     * 100, with the scheduler not started.
     */
    void submitOnly(int n, int batched) throws Exception {
        Pg.recreate();
        Peer.STARTS.clear();
        try (Peer peer = peers.get()) {
            String name = peer.name();
            peer.setUp();
            AtomicInteger next = new AtomicInteger();
            Instant due = Instant.now();
            long t0 = System.nanoTime();
            int accepted = GnomonBench.submit(() -> peer.submit("m3-" + next.getAndIncrement(), due), n,
                Duration.ofSeconds(60 + n / 50));
            results.add("m3.single", name, accepted / ((System.nanoTime() - t0) / 1e9));
            batchSubmit(peer, name, "m3b-", batched);
        }
    }

    private void idleLatency(Peer peer, int asked) throws Exception {
        int samples = peer.idleSamples(asked);
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            Jvm.sleep(peer.idleGapMillis());
            String id = "m5-" + i;
            long trigger = Jvm.micros();
            peer.submit(id, Instant.now());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Peer.STARTS.containsKey(id) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.sleep(0, 100_000);
            }
            Long started = Peer.STARTS.get(id);
            if (started == null) {
                results.note("m5", peer.name(), "job " + id + " did not start within 30 s; run aborted");
                return;
            }
            ms[i] = (started - trigger) / 1000.0;
        }
        Latencies l = Latencies.ofMillis(ms);
        results.add("m5.p50", peer.name(), l.p50());
        results.add("m5.p99", peer.name(), l.p99());
    }

    /**
     * M4: {@code n} jobs due over {@code spread}, submitted ahead with the scheduler running, after
     * uncounted warm-up timers as for Gnomon ({@link GnomonBench#LATENESS_WARM_UP}).
     */
    void lateness(int n, Duration spread) throws Exception {
        Pg.recreate();
        Peer.STARTS.clear();
        try (Peer peer = peers.get()) {
            peer.setUp();
            peer.start();
            int warmUp = GnomonBench.latenessWarmUp(n);
            Instant warmBase = Instant.now().plusSeconds(5);
            long warmStep = GnomonBench.LATENESS_WARM_UP.toNanos() / 1000 / warmUp;
            AtomicInteger nextWarm = new AtomicInteger();
            GnomonBench.submit(() -> {
                int i = nextWarm.getAndIncrement();
                peer.submit("w" + i, warmBase.plusNanos(i * warmStep * 1000));
            }, warmUp, GnomonBench.LATENESS_WARM_UP);
            Instant warmDeadline = warmBase.plus(GnomonBench.LATENESS_WARM_UP).plusSeconds(60);
            while (Instant.now().isBefore(warmDeadline) && Peer.STARTS.size() < warmUp) {
                Jvm.sleep(200);
            }
            Peer.STARTS.clear();
            Instant base = Instant.now().plusSeconds(20);
            long stepMicros = spread.toNanos() / 1000 / n;
            Map<String, Instant> due = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            GnomonBench.submit(() -> {
                int i = next.getAndIncrement();
                Instant at = base.plusNanos(((i * stepMicros) / 1000) * 1_000_000L);
                due.put("t" + i, at);
                peer.submit("t" + i, at);
            }, n, spread.plusSeconds(20));
            Instant deadline = base.plus(spread).plusSeconds(60);
            while (Instant.now().isBefore(deadline) && Peer.STARTS.size() < due.size()) {
                Jvm.sleep(500);
            }
            // a warm-up timer that started late is not one of the measured (due names t0, t1, ...)
            Map<String, Long> starts = new HashMap<>(Peer.STARTS);
            starts.keySet().retainAll(due.keySet());
            double[] late = new double[starts.size()];
            int k = 0;
            int early = 0;
            for (var e : starts.entrySet()) {
                Instant at = due.get(e.getKey());
                late[k] = e.getValue() / 1000.0 - at.toEpochMilli();
                early += late[k] < 0 ? 1 : 0;
                k++;
            }
            if (late.length < n) {
                results.note("m4", peer.name(), (n - late.length) + " of " + n + " timers had not run 60 s after the"
                    + " last was due");
            }
            if (late.length == 0) {
                return;
            }
            Latencies l = Latencies.ofMillis(late);
            results.add("m4.p50", peer.name(), l.p50());
            results.add("m4.p99", peer.name(), l.p99());
            results.add("m4.max", peer.name(), l.max());
            results.add("m4.early", peer.name(), early);
        }
    }
}
