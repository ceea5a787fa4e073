package dev.gnomon.tests;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.server.GnomonServer;
import dev.gnomon.server.config.ServerConfig;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.GnomonWorkerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real server on embedded H2 in a temporary directory, on a free port, with an admin whose
 * password the test knows, and the workers the test starts. Close it to stop everything.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    private final Path dataDir;
    private final Map<String, String> settings;
    private final List<GnomonWorker> workers = new ArrayList<>();
    private GnomonServer server;
    private int port;

    private TestServer(Path dataDir, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** Starts a server; {@code extra} settings override the test defaults. */
    public static TestServer start(Map<String, String> extra) {
        try {
            Path dir = Files.createTempDirectory("gnomon-test-");
            Map<String, String> settings = new HashMap<>();
            settings.put("gnomon.data-dir", dir.toString());
            settings.put("gnomon.http.port", "0");
            settings.put("gnomon.http.host", "127.0.0.1");
            settings.put("gnomon.admin.password", ADMIN_PASSWORD);
            settings.putAll(extra);
            TestServer t = new TestServer(dir, settings);
            t.boot();
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start() {
        return start(Map.of());
    }

    private void boot() {
        server = GnomonServer.builder().config(ServerConfig.of(settings)).build();
        port = server.port();
        settings.put("gnomon.http.port", String.valueOf(port));
    }

    /** Stops the server (workers keep running) and starts it again on the same port and data. */
    public void restart() {
        server.close();
        boot();
    }

    /** Stops the server only; {@link #boot()} again through {@link #restart()}. */
    public void stopServer() {
        server.close();
    }

    public void startServer() {
        boot();
    }

    public GnomonServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public GnomonClient client() {
        return GnomonClient.builder().baseUrl(url()).basicAuth("admin", ADMIN_PASSWORD).build();
    }

    /** Creates an app and returns its secret. */
    public String createApp(String name) {
        AppCreated created = client().apps().create(name, "test app");
        return created.secret();
    }

    /** Starts a worker of the app, configured further by the test, and waits until it is connected. */
    public GnomonWorker worker(String app, String secret, Consumer<GnomonWorkerBuilder> configure) {
        GnomonWorkerBuilder b = GnomonWorker.builder().servers(url()).app(app).secret(secret);
        configure.accept(b);
        GnomonWorker w = b.build();
        w.start();
        workers.add(w);
        try {
            if (!w.awaitConnected(Duration.ofSeconds(20))) {
                throw new IllegalStateException("worker did not connect to " + url() + " within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return w;
    }

    @Override
    public void close() {
        for (GnomonWorker w : workers) {
            w.close();
        }
        if (server != null) {
            server.close();
        }
        deleteQuietly(dataDir);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
