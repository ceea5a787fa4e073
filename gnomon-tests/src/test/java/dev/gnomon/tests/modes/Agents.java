package dev.gnomon.tests.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.tests.GnomonJvm;
import dev.gnomon.tests.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Worker agent JVMs with the shell processor, and bounded waits on what they run. */
final class Agents implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    /** Failure detection fast enough for a test, slow enough for a loaded 2-core machine. */
    static final Map<String, String> FAST_FAILURE_DETECTION = Map.of(
        "gnomon.worker.heartbeat-interval", "300ms",
        "gnomon.worker.suspect-after", "2s",
        "gnomon.worker.lost-after", "4s");

    private final TestServer server;
    private final String app;
    private final String secret;
    private final List<GnomonJvm> started = new ArrayList<>();

    Agents(TestServer server, String app, String secret) {
        this.server = server;
        this.app = app;
        this.secret = secret;
    }

    /** Starts untagged workers with these ids and waits until every one is ONLINE. */
    List<GnomonJvm> start(String... ids) {
        Map<String, List<String>> untagged = new java.util.LinkedHashMap<>();
        for (String id : ids) {
            untagged.put(id, List.of());
        }
        return start(untagged);
    }

    /** Starts {@code gnomon worker} with these tags, all at once, and waits until every one is ONLINE. */
    List<GnomonJvm> start(Map<String, List<String>> tagsByWorker) {
        List<GnomonJvm> out = new ArrayList<>();
        tagsByWorker.forEach((id, tags) -> {
            List<String> args = new ArrayList<>(List.of("worker", "--server", server.url(), "--app", app,
                "--secret", secret, "--enable-shell", "--worker-id", id, "--max-tasks", "4"));
            if (!tags.isEmpty()) {
                args.addAll(List.of("--tag", String.join(",", tags)));
            }
            GnomonJvm jvm = GnomonJvm.start(id, args);
            started.add(jvm);
            out.add(jvm);
        });
        await().atMost(WAIT).untilAsserted(() -> {
            for (GnomonJvm jvm : out) {
                assertThat(jvm.isAlive()).as("worker %s alive; its output:%n%s", jvm.name(), jvm.outputText()).isTrue();
            }
            assertThat(server.client().workers().list(app).items())
                .filteredOn(w -> w.state().equals("ONLINE")).extracting(w -> w.id())
                .containsAll(tagsByWorker.keySet());
        });
        return out;
    }

    static InstanceResource awaitInstance(GnomonClient client, long id, String what, Predicate<InstanceResource> ok) {
        InstanceResource[] last = new InstanceResource[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = client.instances().get(id);
            assertThat(last[0]).matches(ok, what);
        });
        return last[0];
    }

    static List<TaskResource> tasks(GnomonClient client, long instanceId) {
        return client.instances().tasks(instanceId, List.of(), 0, 1000).items();
    }

    /** Lines of a ledger file the test's scripts append to; empty when the file is not there. */
    static List<String> ledger(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (GnomonJvm jvm : started) {
            jvm.close();
        }
    }
}
