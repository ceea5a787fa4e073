package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.awaitEnded;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shell job past its timeout ends TIMED_OUT, and every process its script started is gone. */
class ShellTimeoutTest {

    private static TestServer server;
    private static GnomonClient client;

    @TempDir
    Path dir;
    private final List<Long> pidsSeen = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("gnomon.dispatch.timeout-grace", "5s"));
        String secret = server.createApp("shell");
        server.worker("shell", secret, b -> b.enableShell(true));
        client = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Whatever the outcome, leave no sleeping process behind. */
    @AfterEach
    void killLeftovers() {
        for (long pid : pidsSeen) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void timedOutScriptIsEndedWithItsChildAndGrandchild() throws IOException {
        Path pids = dir.resolve("pids");
        JobResource created = client.jobs().create(job("shell", "hangs", "shell", script(pids),
            ScheduleSpec.api(), null, Duration.ofSeconds(2)));

        InstanceResource run = client.jobs().run(created.id(), null);
        InstanceResource done = awaitEnded(client, run.id());

        assertThat(done.state()).isEqualTo(InstanceState.TIMED_OUT);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.result()).as("the worker itself stopped the script").isEqualTo("timed out after 2000 ms");
        assertThat(Duration.between(done.startedAt(), done.finishedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        List<Long> started = readPids(pids);
        assertThat(started).as("script, child and grandchild of attempt 1").hasSize(3);
        assertAllGone(started);
    }

    @Test
    void timedOutScriptIsTriedAgainThenEndsTimedOut() throws IOException {
        Path pids = dir.resolve("pids");
        JobResource created = client.jobs().create(job("shell", "hangs-twice", "shell", script(pids),
            ScheduleSpec.api(), new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            Duration.ofSeconds(2)));

        InstanceResource run = client.jobs().run(created.id(), null);
        InstanceResource done = awaitEnded(client, run.id());

        assertThat(done.state()).isEqualTo(InstanceState.TIMED_OUT);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.maxAttempts()).isEqualTo(2);
        List<String> attempts = Files.readAllLines(dir.resolve("pids.attempts"));
        assertThat(attempts).as("attempts the script ran").containsExactly("1", "2");
        List<Long> started = readPids(pids);
        assertThat(started).as("script, child and grandchild of two attempts").hasSize(6);
        assertAllGone(started);
    }

    /**
     * Starts a child and, from a subshell that exits at once, a grandchild that is re-parented
     * away from the script; writes every PID to the file, then waits.
     */
    private static String script(Path pids) {
        String file = pids.toAbsolutePath().toString();
        return "echo $GNOMON_ATTEMPT >> '" + file + ".attempts'\n"
            + "sleep 300 & echo $! >> '" + file + "'\n"
            + "(sleep 300 & echo $! >> '" + file + "')\n"
            + "echo $$ >> '" + file + "'\n"
            + "wait\n";
    }

    private List<Long> readPids(Path file) throws IOException {
        List<Long> pids = Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty())
            .map(Long::parseLong).toList();
        pidsSeen.addAll(pids);
        return pids;
    }

    private static void assertAllGone(List<Long> pids) {
        // the worker reports the timeout only once the tree is gone; allow a moment for the kernel to reap
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(pids).as("processes of the script still running").noneMatch(ShellTimeoutTest::running));
    }

    /** Alive and not a zombie: a zombie runs nothing, it only waits for a parent that may never reap it. */
    private static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
