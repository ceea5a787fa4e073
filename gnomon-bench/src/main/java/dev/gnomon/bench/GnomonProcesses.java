package dev.gnomon.bench;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Gnomon server and its bench workers, each its own JVM started from the harness's jar with
 * the same main classes as {@code gnomon server} and {@code gnomon worker}.
 */
final class GnomonProcesses implements AutoCloseable {

    static final String PASSWORD = "bench-admin-password";
    static final String APP = "bench";

    final Path dir;
    final int port;
    final Process server;
    final long spawnedAtNanos;
    final GnomonClient client;
    final List<Process> workers = new ArrayList<>();
    private final Map<Process, Path> workerLogs = new java.util.HashMap<>();
    private int commands;
    String secret;
    /** Milliseconds from spawning the server's JVM to its first ready answer. */
    double readyMs;

    private GnomonProcesses(Path dir, int port, Process server, long spawnedAtNanos) {
        this.dir = dir;
        this.port = port;
        this.server = server;
        this.spawnedAtNanos = spawnedAtNanos;
        this.client = GnomonClient.builder().baseUrl(url()).basicAuth("admin", PASSWORD)
            .timeout(Duration.ofSeconds(60)).build();
    }

    /** Starts a server on PostgreSQL ({@code postgres} true) or on H2 in {@code dir}; returns once it is ready. */
    static GnomonProcesses start(Path dir, boolean postgres, List<String> jvmArgs) throws Exception {
        return start(dir, postgres, jvmArgs, Map.of());
    }

    /** As {@link #start(Path, boolean, List)}, with these server settings on top of the defaults. */
    static GnomonProcesses start(Path dir, boolean postgres, List<String> jvmArgs, Map<String, String> settings)
            throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("server", "--port", Integer.toString(port),
            "--data-dir", dir.resolve("data").toString(), "-D", "gnomon.admin.password=" + PASSWORD));
        settings.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        if (postgres) {
            args.addAll(List.of("--db-url", Pg.systemUrl(), "--db-user", Pg.USER));
        }
        long t0 = System.nanoTime();
        Process p = Jvm.start(dir.resolve("server.log"), jvmArgs, "dev.gnomon.cli.Gnomon", args);
        GnomonProcesses g = new GnomonProcesses(dir, port, p, t0);
        try {
            g.readyMs = g.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            g.close();
            throw e;
        }
        return g;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Milliseconds from spawning the server's JVM until /readyz answered 200. */
    double awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("server exited with " + server.exitValue() + "; see " + dir.resolve("server.log"));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - spawnedAtNanos) / 1e6;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("server not ready after " + timeout + "; see " + dir.resolve("server.log"));
    }

    /** Creates the bench app and a job running the noop processor, queueing up to 1000 at once; returns the job id. */
    long createNoopJob(ScheduleSpec schedule, String name) {
        if (secret == null) {
            AppCreated app = client.apps().create(APP, "benchmark");
            secret = app.secret();
        }
        return client.jobs().create(new JobRequest(APP, name, null, true, "noop", null, schedule, null, 1000,
            OverlapPolicy.QUEUE, null, null)).id();
    }

    Process startWorker(String name, int maxTasks, List<String> jvmArgs) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = Jvm.start(log, jvmArgs, NoopWorker.class.getName(),
            List.of(url(), APP, secret, Integer.toString(maxTasks)));
        workers.add(p);
        workerLogs.put(p, log);
        return p;
    }

    /**
     * Takes a {@link NoopWorker} process off the server ({@code connect} false) or back on it with a
     * new worker in the same JVM, its compiled code kept; returns once the process says it is done.
     */
    void connect(Process worker, boolean connect) throws IOException, InterruptedException {
        String command = (connect ? "connect " : "disconnect ") + (++commands);
        worker.getOutputStream().write((command + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        worker.getOutputStream().flush();
        Path log = workerLogs.get(worker);
        String done = "bench worker " + command + " done";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log).contains(done)) {
            if (!worker.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker did not " + command + " within 30 s; see " + log);
            }
            Thread.sleep(10);
        }
    }

    /** The JVM options the {@code gnomon} launcher gives {@code gnomon worker} by default. */
    static final List<String> AGENT_JVM_OPTIONS =
        List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-XX:TieredStopAtLevel=1");

    /** The standalone worker agent ({@code gnomon worker}) as the launcher starts it, for its footprint. */
    Process startAgent(String name) throws IOException {
        Path secretFile = dir.resolve("app.secret");
        Files.writeString(secretFile, secret);
        Process p = Jvm.start(dir.resolve(name + ".log"), AGENT_JVM_OPTIONS, "dev.gnomon.cli.Gnomon",
            List.of("worker", "--server", url(), "--app", APP, "--secret-file", secretFile.toString()));
        workers.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        workers.forEach(Jvm::stop);
        Jvm.stop(server);
    }
}
