package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.GnomonWorkerBuilder;
import dev.gnomon.worker.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose server went away holds its task's log in its spool directory; it is closed, and
 * a worker started again on the same directory sends those lines once the server is back.
 */
class SpoolSurvivesWorkerRestartTest {

    private static final int LINES = 300;

    @TempDir
    Path spool;

    @Test
    void linesLeftInTheSpoolDirectoryAreSentByTheNextWorkerOnIt() throws Exception {
        try (TestServer t = TestServer.start(Map.of("gnomon.worker.lost-after", "5m"))) {
            String secret = t.createApp("durable");
            CountDownLatch go = new CountDownLatch(1);
            GnomonWorker first = worker(t, secret).processor("write", ctx -> {
                go.await(30, TimeUnit.SECONDS);
                for (int i = 1; i <= LINES; i++) {
                    ctx.logger().info("kept {}", i);
                }
                return Result.success();
            }).build();
            long id;
            try {
                first.start();
                assertThat(first.awaitConnected(Duration.ofSeconds(20))).isTrue();
                GnomonClient client = t.client();
                JobResource j = client.jobs().create(job("durable", "write", "write", null, ScheduleSpec.api(), null,
                    null));
                id = client.jobs().run(j.id(), null).id();
                await().atMost(Duration.ofSeconds(30)).until(() -> !first.runningTasks().isEmpty());

                t.stopServer();
                go.countDown();
                await().atMost(Duration.ofSeconds(30)).until(() -> first.runningTasks().isEmpty());
            } finally {
                first.close();
            }
            assertThat(first.pendingLogLines()).isEqualTo(LINES);
            try (var files = Files.list(spool)) {
                assertThat(files.filter(p -> p.toString().endsWith(".seg"))).isNotEmpty();
            }

            t.startServer();
            GnomonWorker second = worker(t, secret).processor("write", ctx -> Result.success()).build();
            try {
                second.start();
                GnomonClient client = t.client();
                await().atMost(Duration.ofSeconds(30)).until(() -> client.instances().log(id, 0, 1).total() == LINES);
                assertThat(client.instances().log(id, 0, LINES).items()).extracting(LogEntry::text)
                    .isEqualTo(IntStream.rangeClosed(1, LINES).mapToObj(i -> "kept " + i).toList());
                await().atMost(Duration.ofSeconds(30)).until(() -> second.pendingLogLines() == 0);
            } finally {
                second.close();
            }
        }
    }

    private GnomonWorkerBuilder worker(TestServer t, String secret) {
        return GnomonWorker.builder().servers(t.url()).app("durable").secret(secret).workerId("durable-worker")
            .logSpoolDir(spool);
    }
}
