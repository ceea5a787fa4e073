package dev.gnomon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    /** The compiler seconds of each process, in order. */
    static double[] seconds(List<Process> processes) throws IOException, InterruptedException {
        double[] s = new double[processes.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = seconds(processes.get(i).pid());
        }
        return s;
    }
}
