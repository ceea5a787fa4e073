package dev.gnomon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long a JVM's JIT compilers have worked so far, read from outside the process through
 * {@code jcmd <pid> PerfCounter.print} ({@code java.ci.totalTime} in ticks of
 * {@code sun.os.hrt.frequency}). A benchmark that wants the steady state of a long-running
 * process warms it up until the compilers have little left to do, instead of measuring them.
 */
final class JitTime {

    private JitTime() {
    }

    /** Seconds of compiler time process {@code pid} has spent since it started. */
    static double seconds(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "PerfCounter.print")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " PerfCounter.print did not end within 30 s");
        }
        return parse(out, pid);
    }

    /** Compiler seconds from the text of {@code PerfCounter.print}. */
    static double parse(String counters, long pid) throws IOException {
        Long ticks = null;
        Long frequency = null;
        for (String line : counters.split("\n")) {
            String l = line.trim();
            if (l.startsWith("java.ci.totalTime=")) {
                ticks = Long.parseLong(l.substring(l.indexOf('=') + 1).trim());
            } else if (l.startsWith("sun.os.hrt.frequency=")) {
                frequency = Long.parseLong(l.substring(l.indexOf('=') + 1).trim());
            }
        }
        if (ticks == null || frequency == null || frequency <= 0) {
            throw new IOException("no java.ci.totalTime and sun.os.hrt.frequency in the performance counters of process "
                + pid + " (is it running with -XX:-UsePerfData?): " + counters.lines().limit(3).toList());
        }
        return (double) ticks / frequency;
    }


    /** The share of a warm-up round's wall time under which a JVM's compilers count as settled. */
    static final double SETTLED = 0.10;

    /** One uncounted round of a warm-up; {@code round} counts from 1. */
    interface Round {
        void run(int round) throws Exception;
    }

    /**
     * Runs {@code round} until the JIT compilers of every process in {@code pids} (by name) spent
     * less than {@link #SETTLED} of the round's wall time compiling, at most {@code maxRounds}
     * times; prints each round as {@code what warm-up N: doing in S s ...}. Returns whether they
     * settled.
     */
    static boolean warmUp(String what, String doing, Map<String, Long> pids, int maxRounds, Round round)
            throws Exception {
        Map<String, Double> before = seconds(pids);
        for (int r = 1; r <= maxRounds; r++) {
            long t0 = System.nanoTime();
            round.run(r);
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> after = seconds(pids);
            double busiest = 0;
            StringBuilder shares = new StringBuilder();
            for (String name : pids.keySet()) {
                double share = (after.get(name) - before.get(name)) / wall;
                busiest = Math.max(busiest, share);
                shares.append(shares.length() == 0 ? "" : ", ").append(name)
                    .append(String.format(Locale.ROOT, " %.0f %%", share * 100));
            }
            before = after;
            boolean settled = busiest < SETTLED;
            System.out.printf(Locale.ROOT, "%s warm-up %d: %s in %.2f s (not counted); JIT compiling %s of it%s%n",
                what, r, doing, wall, shares, settled ? ": settled" : "");
            if (settled) {
                return true;
            }
        }
        System.out.printf(Locale.ROOT, "%s warm-up: the JIT compilers had not settled after %d rounds; measuring"
            + " anyway%n", what, maxRounds);
        return false;
    }

    private static Map<String, Double> seconds(Map<String, Long> pids) throws IOException, InterruptedException {
        Map<String, Double> s = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            s.put(e.getKey(), seconds(e.getValue()));
        }
        return s;
    }
}
