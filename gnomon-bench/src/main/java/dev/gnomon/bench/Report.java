package dev.gnomon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/** Writes the results table into BENCHMARKS.md, between its markers, and leaves the rest of the page alone. */
final class Report {

    static final String START = "<!-- results:start -->";
    static final String END = "<!-- results:end -->";
    static final List<String> SYSTEMS = List.of(GnomonBench.NAME, "db-scheduler", "Quartz", "JobRunr");

    /** One row: a figure, its unit and format, the goal and whether a higher value is better. */
    record Figure(String key, String metric, String label, String format, String goal, DoublePredicate met,
                  boolean higherIsBetter) {
    }

    static final List<Figure> FIGURES = List.of(
        new Figure("m1.throughput", "M1 throughput", "instances completed per second", "%.0f",
            "≥ 10,000/s and ahead of db-scheduler", v -> v >= 10_000, true),
        new Figure("m1.seconds", "M1 throughput", "seconds until all completed", "%.2f", "", null, false),
        new Figure("m2.commits", "M2 database cost", "commits per completed instance", "%.2f", "≤ 0.2",
            v -> v <= 0.2, false),
        new Figure("m2.statements", "M2 database cost", "statements per completed instance (counted on the wire,"
            + " extra run)", "%.2f", "", null, false),
        new Figure("m2.rows", "M2 database cost", "rows written per instance (inserted + updated + deleted)",
            "%.2f", "", null, false),
        new Figure("m3.batch", "M3 submit", "accepted per second, batches of 100, 16 clients", "%.0f",
            "≥ 30,000/s", v -> v >= 30_000, true),
        new Figure("m3.single", "M3 submit", "accepted per second, single calls, 16 clients", "%.0f",
            "≥ 5,000/s", v -> v >= 5_000, true),
        new Figure("m4.p50", "M4 lateness", "start − due, p50 (ms)", "%.1f", "≤ 10 ms", v -> v <= 10, false),
        new Figure("m4.p99", "M4 lateness", "start − due, p99 (ms)", "%.1f", "≤ 50 ms", v -> v <= 50, false),
        new Figure("m4.max", "M4 lateness", "start − due, max (ms)", "%.1f", "", null, false),
        new Figure("m4.early", "M4 lateness", "timers started early", "%.0f", "none", v -> v == 0, false),
        new Figure("m5.p50", "M5 idle latency", "trigger → processor start, p50 (ms)", "%.2f", "≤ 5 ms",
            v -> v <= 5, false),
        new Figure("m5.p99", "M5 idle latency", "trigger → processor start, p99 (ms)", "%.2f", "≤ 20 ms",
            v -> v <= 20, false),
        new Figure("m6.worker.p50", "M6 recovery", "worker SIGKILLed with 1,000 running tasks: to attempt 2 started"
            + " elsewhere, median over the tasks (s), default settings", "%.1f", "", null, false),
        new Figure("m6.worker.max", "M6 recovery", "the same, last of the 1,000 (s), default settings", "%.1f",
            "≤ 6 s", v -> v <= 6, false),
        new Figure("m6.worker.fast.p50", "M6 recovery", "the same, median (s), with lost-after 4 s", "%.1f", "",
            null, false),
        new Figure("m6.worker.fast.max", "M6 recovery", "the same, last of the 1,000 (s), with lost-after 4 s",
            "%.1f", "≤ 6 s", v -> v <= 6, false),
        new Figure("fp.ready", "footprint", "server start to ready on H2, plain `java -jar` (ms)", "%.0f",
            "≤ 2,000 ms", v -> v <= 2000, false),
        new Figure("fp.ready.cds", "footprint", "server start to ready on H2, as `./gnomon server` starts it"
            + " (class-data archive) (ms)", "%.0f", "≤ 2,000 ms", v -> v <= 2000, false),
        new Figure("fp.server.rss", "footprint", "idle server resident memory (MB)", "%.0f", "≤ 250 MB",
            v -> v <= 250, false),
        new Figure("fp.worker.rss", "footprint", "idle worker agent resident memory (MB)", "%.0f", "≤ 100 MB",
            v -> v <= 100, false));

    /** The rows of {@code bench/run submit}: M3, and what one call costs on the wire. */
    static final List<Figure> SUBMIT_FIGURES = List.of(
        FIGURES.stream().filter(f -> f.key().equals("m3.batch")).findFirst().orElseThrow(),
        FIGURES.stream().filter(f -> f.key().equals("m3.single")).findFirst().orElseThrow(),
        new Figure("m3.single.statements", "M3 submit", "statements per single call (counted on the wire, extra run)",
            "%.2f", "", null, false),
        new Figure("m3.single.trips", "M3 submit", "round trips per single call (counted on the wire, extra run)",
            "%.2f", "", null, false),
        new Figure("m3.batch.statements", "M3 submit", "statements per batch of 100 (counted on the wire, extra run)",
            "%.2f", "", null, false),
        new Figure("m3.batch.trips", "M3 submit", "round trips per batch of 100 (counted on the wire, extra run)",
            "%.2f", "", null, false));

    private Report() {
    }

    static String table(Results r) {
        return table(r, FIGURES);
    }

    static String table(Results r, List<Figure> figures) {
        StringBuilder out = new StringBuilder("| metric | figure | goal | ");
        out.append(String.join(" | ", SYSTEMS)).append(" | Gnomon ÷ db-scheduler | goal |\n");
        out.append("| --- | --- | --- |").append(" ---: |".repeat(SYSTEMS.size())).append(" ---: | --- |\n");
        for (Figure f : figures) {
            out.append("| ").append(f.metric()).append(" | ").append(f.label()).append(" | ").append(f.goal())
                .append(" |");
            for (String system : SYSTEMS) {
                List<Double> v = r.get(f.key(), system);
                List<String> notes = r.notes(f.key(), system);
                String cell = v.isEmpty() ? (notes.isEmpty() ? "–" : "no figure") : Stats.describe(v, f.format());
                if (!v.isEmpty()) {
                    cell += " n=" + v.size();
                }
                out.append(' ').append(cell).append(" |");
            }
            List<Double> g = r.get(f.key(), GnomonBench.NAME);
            List<Double> d = r.get(f.key(), "db-scheduler");
            out.append(' ').append(g.isEmpty() || d.isEmpty() || Stats.median(d) == 0 ? "–"
                : String.format(Locale.ROOT, "%.2f", Stats.median(g) / Stats.median(d))).append(" |");
            out.append(' ').append(verdict(f, g, d)).append(" |\n");
        }
        return out.toString();
    }

    private static String verdict(Figure f, List<Double> g, List<Double> d) {
        if (f.met() == null) {
            return "";
        }
        if (g.isEmpty()) {
            return "not measured";
        }
        boolean met = f.met().test(Stats.median(g));
        if (f.key().equals("m1.throughput") && !d.isEmpty()) {
            met = met && Stats.median(g) > Stats.median(d);
        }
        return met ? "met" : "**missed**";
    }

    static String notes(Results r) {
        StringBuilder out = new StringBuilder();
        for (Figure f : FIGURES) {
            for (String system : SYSTEMS) {
                for (String n : r.notes(f.key(), system)) {
                    out.append("- ").append(system).append(", ").append(f.key()).append(": ").append(n).append('\n');
                }
            }
        }
        for (String system : SYSTEMS) {
            for (String key : List.of("m4", "m5")) {
                for (String n : r.notes(key, system)) {
                    out.append("- ").append(system).append(", ").append(key).append(": ").append(n).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Replaces the text between the markers (or appends the markers) in {@code page}. */
    static void write(Path page, String body) throws IOException {
        write(page, body, START, END);
    }

    /** Replaces the text between these markers (or appends them) in {@code page}. */
    static void write(Path page, String body, String start, String end) throws IOException {
        String text = Files.exists(page) ? Files.readString(page) : "# Benchmarks\n\n";
        int s = text.indexOf(start);
        int e = text.indexOf(end);
        String block = start + "\n" + body + end;
        text = s >= 0 && e > s ? text.substring(0, s) + block + text.substring(e + end.length())
            : text + "\n" + block + "\n";
        Files.writeString(page, text);
    }
}
