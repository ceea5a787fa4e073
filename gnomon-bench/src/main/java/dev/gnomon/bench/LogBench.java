package dev.gnomon.bench;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.GnomonServer;
import dev.gnomon.server.config.ServerConfig;
import dev.gnomon.server.store.LogStore;
import dev.gnomon.tests.fault.FaultProxy;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log throughput: one worker writes a burst of lines as fast as a task can, and the clock stops
 * when the server has stored every line and the worker holds none unacknowledged. Server on
 * PostgreSQL and worker in this JVM, connected directly (loopback) or through the fault proxy
 * with a fixed latency each way.
 */
final class LogBench {

    /** A database of its own, so that this benchmark never drops the one another part of the harness uses. */
    static final String DB = "gnomon_bench_logs";
    static final String LINE = "processed record {} of the nightly import: status ok, 3 fields changed";
    private static final Duration LIMIT = Duration.ofMinutes(3);

    record Run(String link, int lines, double seconds) {
        double linesPerSecond() {
            return lines / seconds;
        }
    }

    private LogBench() {
    }

    static Run once(Path dir, int lines, Duration latency) throws Exception {
        Pg.recreate(DB);
        Files.createDirectories(dir);
        ServerConfig config = ServerConfig.of(Map.of("gnomon.data-dir", dir.toString(), "gnomon.db.url", Pg.SERVER + DB,
            "gnomon.db.user", Pg.USER, "gnomon.http.port", "0", "gnomon.http.host", "127.0.0.1",
            "gnomon.admin.password", "bench-password"));
        AtomicLong firstLine = new AtomicLong();
        try (GnomonServer server = GnomonServer.builder().config(config).build();
             FaultProxy proxy = FaultProxy.start(server.port())) {
            proxy.latency(latency, Duration.ZERO);
            GnomonClient client = GnomonClient.builder().baseUrl("http://127.0.0.1:" + server.port())
                .basicAuth("admin", "bench-password").build();
            String secret = client.apps().create("logbench", "log throughput").secret();
            int port = latency.isZero() ? server.port() : proxy.port();
            try (GnomonWorker worker = GnomonWorker.builder().servers("http://127.0.0.1:" + port).app("logbench")
                .secret(secret).workerId("log-bench").processor("flood", ctx -> {
                    firstLine.set(System.nanoTime());
                    for (int i = 1; i <= lines; i++) {
                        ctx.logger().info(LINE, i);
                    }
                    return Result.success();
                }).build()) {
                worker.start();
                if (!worker.awaitConnected(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the bench worker did not connect within 30 s");
                }
                long jobId = client.jobs().create(new JobRequest("logbench", "flood", null, true, "flood", null,
                    ScheduleSpec.api(), null, null, null, null, null)).id();
                long id = client.jobs().run(jobId, null).id();
                LogStore logs = new LogStore(server.database());
                long deadline = System.nanoTime() + LIMIT.toNanos();
                while (firstLine.get() == 0 || logs.count(id) < lines || worker.pendingLogLines() > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not every line was stored within " + LIMIT + ": "
                            + logs.count(id) + " of " + lines);
                    }
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - firstLine.get()) / 1e9;
                return new Run(latency.isZero() ? "loopback" : "proxy, " + latency.toMillis() + " ms each way", lines,
                    seconds);
            }
        }
    }

    /** Runs each link {@code runs} times and writes the figures between the logs markers of the page. */
    static void main(int runs, int lines, Path out, Path page, String command) throws Exception {
        StringBuilder table = new StringBuilder("| link | lines | median lines/s | spread | runs (lines/s) |\n"
            + "| --- | --- | --- | --- | --- |\n");
        // a first run, not counted, so the figures are of compiled code rather than of the JIT warming up
        Run warmup = once(out.resolve("logs-warmup"), Math.max(10_000, lines / 2), Duration.ZERO);
        System.out.printf("logs warm-up: %d lines in %.2f s (not counted)%n", warmup.lines(), warmup.seconds());
        for (Duration latency : List.of(Duration.ZERO, Duration.ofMillis(300))) {
            List<Double> rates = new ArrayList<>();
            String link = null;
            for (int r = 1; r <= runs; r++) {
                Run run = once(out.resolve("logs-" + latency.toMillis() + "-" + r), lines, latency);
                rates.add(run.linesPerSecond());
                link = run.link();
                System.out.printf("logs %s run %d: %d lines in %.2f s, %.0f lines/s%n", run.link(), r, run.lines(),
                    run.seconds(), run.linesPerSecond());
            }
            List<String> each = rates.stream().map(v -> String.format("%.0f", v)).toList();
            table.append("| ").append(link).append(" | ").append(lines).append(" | ")
                .append(String.format("%.0f", Stats.median(rates))).append(" | ")
                .append(Stats.describe(rates, "%.0f")).append(" | ").append(String.join(", ", each)).append(" |\n");
        }
        String body = "Produced by `" + command + "` on " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + ": one server on PostgreSQL and one worker in one JVM; a task writes " + lines + " lines of "
            + LINE.length() + " characters as fast as it can; the time runs from its first line until the server"
            + " has stored every line and the worker holds none unacknowledged. One uncounted warm-up run of half"
            + " as many lines comes first.\n\n" + table;
        Report.write(page, body, "<!-- logs:start -->", "<!-- logs:end -->");
        System.out.println(body);
    }
}
