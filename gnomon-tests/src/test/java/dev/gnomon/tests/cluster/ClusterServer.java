package dev.gnomon.tests.cluster;

import dev.gnomon.tests.GnomonJvm;
import dev.gnomon.client.GnomonClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One server of the test cluster: a {@code gnomon.jar server} JVM with a fixed id, port and data
 * directory, so that it can be stopped and started again as the same server.
 */
final class ClusterServer implements AutoCloseable {

    static final String ADMIN_PASSWORD = "cluster-admin-password";

    private final String id;
    private final int port;
    private final Path dataDir;
    private final String dbUrl;
    private final Map<String, String> settings;
    private final List<GnomonJvm> runs = new ArrayList<>();
    private volatile GnomonJvm process;

    ClusterServer(String id, int port, Path dataDir, String dbUrl, Map<String, String> settings) {
        this.id = id;
        this.port = port;
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
        this.settings = settings;
    }

    /** Starts the JVM; does not wait (see {@link #awaitReady}). */
    ClusterServer start() {
        List<String> args = new ArrayList<>(List.of("server", "--port", String.valueOf(port), "--server-id", id,
            "--data-dir", dataDir.toString(), "--db-url", dbUrl, "--db-user", "postgres",
            "-D", "gnomon.admin.password=" + ADMIN_PASSWORD, "-D", "gnomon.http.host=127.0.0.1"));
        settings.forEach((k, v) -> {
            args.add("-D");
            args.add(k + "=" + v);
        });
        process = GnomonJvm.start(id + "#" + (runs.size() + 1), args);
        runs.add(process);
        return this;
    }

    /** Waits until {@code /readyz} answers 200. */
    ClusterServer awaitReady(Duration atMost) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server " + id + " exited before it was ready; " + process.outputText());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server " + id + " not ready within " + atMost + "; " + process.outputText());
    }

    String id() {
        return id;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    GnomonClient client() {
        return GnomonClient.builder().baseUrl(url()).basicAuth("admin", ADMIN_PASSWORD).build();
    }

    GnomonJvm process() {
        return process;
    }

    /** Everything every run of this server wrote. */
    String outputText() {
        StringBuilder out = new StringBuilder();
        runs.forEach(r -> out.append(r.outputText()).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        runs.forEach(GnomonJvm::close);
    }
}
