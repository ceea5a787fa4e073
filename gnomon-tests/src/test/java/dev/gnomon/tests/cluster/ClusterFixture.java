package dev.gnomon.tests.cluster;

import dev.gnomon.tests.GnomonJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.ClusterResource;
import dev.gnomon.protocol.api.OwnedApp;
import dev.gnomon.protocol.api.ServerResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A cluster of real server JVMs on one PostgreSQL database made for the test, and the worker
 * JVMs it needs. Closing it kills every process and drops the database.
 *
 * <p>Without PostgreSQL at 127.0.0.1:5432 the tests are skipped, loudly; with {@code CI=true}
 * they fail instead.
 */
final class ClusterFixture implements AutoCloseable {

    static final String PG_HOST = "127.0.0.1:5432";
    private static final String ADMIN_DB_URL = "jdbc:postgresql://" + PG_HOST + "/test";
    private static final Duration READY = Duration.ofSeconds(60);

    /** Short timings, so that failover takes seconds; tests add to them. */
    static final Map<String, String> FAST = Map.of(
        "gnomon.lease.duration", "3s",
        "gnomon.lease.renew-interval", "500ms",
        "gnomon.cluster.heartbeat-interval", "500ms",
        "gnomon.cluster.server-timeout", "2s",
        "gnomon.worker.heartbeat-interval", "300ms",
        "gnomon.worker.suspect-after", "1s",
        "gnomon.worker.lost-after", "3s");
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration SERVER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ROUND = Duration.ofMillis(500);

    private static final ObjectMapper JSON = Json.mapper();

    private final String database;
    private final String dbUrl;
    private final Path dir;
    private final Map<String, String> settings;
    private final Map<String, ClusterServer> servers = new LinkedHashMap<>();
    private final List<GnomonJvm> workers = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    private ClusterFixture(String database, Path dir, Map<String, String> settings) {
        this.database = database;
        this.dbUrl = "jdbc:postgresql://" + PG_HOST + "/" + database;
        this.dir = dir;
        this.settings = settings;
    }

    /** Creates the database; skips (or fails on CI) when PostgreSQL cannot be reached. */
    static ClusterFixture create(Map<String, String> extra) {
        String db = "gnomon_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_DB_URL, "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + PG_HOST + " (database 'test', user postgres) is unreachable: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true and " + why, e);
            }
            System.err.println("SKIPPED: " + why + " (set CI=true to make this a failure)");
            Assumptions.abort("SKIPPED: " + why + " (set CI=true to make this a failure)");
        }
        Map<String, String> settings = new HashMap<>(FAST);
        settings.putAll(extra);
        try {
            return new ClusterFixture(db, Files.createTempDirectory("gnomon-cluster-"), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts servers s1..sN in parallel and waits until each is ready. */
    List<ClusterServer> startServers(String... ids) throws Exception {
        List<ClusterServer> started = new ArrayList<>();
        for (String id : ids) {
            ClusterServer s = new ClusterServer(id, freePort(), dir.resolve(id), dbUrl, settings);
            servers.put(id, s);
            started.add(s.start());
        }
        ExecutorService pool = Executors.newFixedThreadPool(ids.length);
        try {
            List<Future<ClusterServer>> ready = new ArrayList<>();
            for (ClusterServer s : started) {
                ready.add(pool.submit(() -> s.awaitReady(READY)));
            }
            for (Future<ClusterServer> f : ready) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return started;
    }

    /** Starts a stopped server again, with the same id, port and data directory. */
    void restart(ClusterServer s) throws InterruptedException {
        s.start().awaitReady(READY);
    }

    ClusterServer server(String id) {
        return servers.get(id);
    }

    List<ClusterServer> servers() {
        return List.copyOf(servers.values());
    }

    List<String> urls() {
        return servers.values().stream().map(ClusterServer::url).toList();
    }

    /** A worker agent JVM of the app with shell enabled, given every server's address. */
    GnomonJvm startShellWorker(String app, String secret, String workerId) {
        GnomonJvm w = GnomonJvm.start(workerId, List.of("worker", "--server", String.join(",", urls()),
            "--app", app, "--secret", secret, "--enable-shell", "--worker-id", workerId));
        workers.add(w);
        return w;
    }

    /** Something else to close with the cluster (an in-process worker, say). */
    <T extends AutoCloseable> T closeLater(T closeable) {
        others.add(closeable);
        return closeable;
    }

    /** The cluster as {@code GET /api/v1/cluster} on this server shows it. */
    static ClusterResource cluster(ClusterServer via) {
        String auth = Base64.getEncoder().encodeToString(("admin:" + ClusterServer.ADMIN_PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(via.url() + "/api/v1/cluster")).header("Authorization", "Basic " + auth)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET /api/v1/cluster on %s: %s", via.id(), r.body()).isEqualTo(200);
            return JSON.readValue(r.body(), ClusterResource.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Server id to the names of the apps it owns now. */
    static Map<String, List<String>> ownership(ClusterServer via) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ServerResource s : cluster(via).servers()) {
            out.put(s.id(), s.apps().stream().map(OwnedApp::app).toList());
        }
        return out;
    }

    /** The server that owns the app now, with the lease epoch, as seen through {@code via}. */
    static Optional<Owner> owner(ClusterServer via, String app) {
        for (ServerResource s : cluster(via).servers()) {
            for (OwnedApp a : s.apps()) {
                if (a.app().equals(app)) {
                    return Optional.of(new Owner(s.id(), a.epoch()));
                }
            }
        }
        return Optional.empty();
    }

    record Owner(String serverId, long epoch) {
    }

    /** Polls (every 100 ms, at most {@code atMost}) until the app has an owner that passes the test. */
    static Owner awaitOwner(ClusterServer via, String app, Predicate<Owner> test, Duration atMost)
        throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        Optional<Owner> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = owner(via, app);
            if (last.isPresent() && test.test(last.get())) {
                return last.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("app " + app + " has no suitable owner within " + atMost + "; last seen: " + last
            + "; cluster: " + ownership(via));
    }

    /** A JDBC connection to the cluster's database, for checks the API does not show (epochs, tasks). */
    Connection sql() throws SQLException {
        return DriverManager.getConnection(dbUrl, "postgres", "");
    }

    long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = sql(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    Path dir() {
        return dir;
    }

    static GnomonClient client(ClusterServer s) {
        return s.client();
    }

    /** The output of every server, for failure messages. */
    String serverOutput() {
        StringBuilder out = new StringBuilder();
        servers.values().forEach(s -> out.append(s.outputText()));
        return out.toString();
    }

    @Override
    public void close() {
        for (AutoCloseable c : others) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the processes below matter more
            }
        }
        workers.forEach(GnomonJvm::close);
        servers.values().forEach(ClusterServer::close);
        try (Connection c = DriverManager.getConnection(ADMIN_DB_URL, "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("cannot drop test database " + database + ": " + e.getMessage());
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
