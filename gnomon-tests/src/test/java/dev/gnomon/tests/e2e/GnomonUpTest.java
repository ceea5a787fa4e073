package dev.gnomon.tests.e2e;

import dev.gnomon.tests.GnomonJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.LogEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code gnomon up} as a user runs it: one command, a banner with the password, a demo job that runs. */
class GnomonUpTest {

    private static final Pattern PASSWORD = Pattern.compile("Log in\\s+user admin, password (\\S+)");

    private Path dataDir;

    @BeforeEach
    void dataDir() throws Exception {
        dataDir = Files.createTempDirectory("gnomon-up-");
    }

    @AfterEach
    void removeDataDir() {
        GnomonJvm.deleteQuietly(dataDir);
    }

    @Test
    void upRunsTheDemoJobAndASecondStartOnTheSameDataKeepsItsAppAndJob() throws Exception {
        String password;
        int port = GnomonJvm.freePort();
        try (GnomonJvm up = startUp(port)) {
            List<String> banner = awaitBanner(up);
            Matcher m = banner.stream().map(PASSWORD::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no password in the banner:\n" + String.join("\n", banner)));
            password = m.group(1);
            assertThat(Files.readString(dataDir.resolve("initial-admin-password")).strip()).isEqualTo(password);
            assertThat(banner).anyMatch(l -> l.contains("Worker") && l.contains("connected") && !l.contains("NOT"));

            GnomonClient client = client(port, password);
            awaitHello(client, Instant.EPOCH);
            up.stop();
            assertThat(up.isAlive()).isFalse();
        }

        int secondPort = GnomonJvm.freePort();
        Instant secondStart = Instant.now();
        try (GnomonJvm up = startUp(secondPort)) {
            List<String> banner = awaitBanner(up);
            assertThat(banner).noneMatch(l -> PASSWORD.matcher(l).find());
            assertThat(banner).anyMatch(l -> l.contains("with the password printed at the first start"));

            GnomonClient client = client(secondPort, password);
            assertThat(client.apps().list(null, null).items()).filteredOn(a -> a.name().equals("demo")).hasSize(1);
            List<JobResource> jobs = client.jobs().list("demo", null, null).items();
            assertThat(jobs).extracting(JobResource::name).containsExactly("hello");
            awaitHello(client, secondStart);
            up.stop();
        }
    }

    private GnomonJvm startUp(int port) {
        return GnomonJvm.start("gnomon-up", Map.of("GNOMON_DATA_DIR", dataDir.toString()),
            List.of("up", "--port", String.valueOf(port)));
    }

    /** Reads the output until the banner is complete, and returns the banner's lines. */
    private static List<String> awaitBanner(GnomonJvm up) {
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            assertThat(up.isAlive()).as("gnomon up alive; its output:\n%s", up.outputText()).isTrue();
            assertThat(up.output()).as("output of gnomon up:\n%s", up.outputText()).contains("Press Ctrl+C to stop.");
        });
        List<String> out = up.output();
        int start = out.indexOf("Gnomon is up.");
        assertThat(start).as("banner line in:\n%s", up.outputText()).isNotNegative();
        return out.subList(start, out.indexOf("Press Ctrl+C to stop.") + 1);
    }

    private static GnomonClient client(int port, String password) {
        return GnomonClient.builder().baseUrl("http://127.0.0.1:" + port).basicAuth("admin", password).build();
    }

    /** Waits for a succeeded run of the demo job created after {@code after} that said hello. */
    private static void awaitHello(GnomonClient client, Instant after) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<InstanceResource> done = client.instances().list(InstanceQuery.all().withApp("demo")
                .withStates(InstanceState.SUCCEEDED).withLimit(20)).items();
            InstanceResource hello = done.stream()
                .filter(i -> !i.createdAt().isBefore(after) && i.jobName().equals("hello"))
                .filter(i -> client.instances().log(i.id(), null, null).items().stream()
                    .map(LogEntry::text).anyMatch(t -> t.contains("Hello from Gnomon")))
                .findFirst().orElse(null);
            assertThat(hello).as("a succeeded run of 'hello' after instance %s that logged its greeting; seen %s",
                after, done).isNotNull();
        });
    }
}
