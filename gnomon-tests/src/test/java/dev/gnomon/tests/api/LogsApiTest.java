package dev.gnomon.tests.api;

import static dev.gnomon.tests.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.config.ServerConfig;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance's log through the REST API: the plain text download with its filters, and the live
 * stream, served by a second server on the same database as well as by the one the worker uses.
 */
class LogsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BEFORE = 50;
    private static final int AFTER = 50;

    private static TestServer first;
    private static TestServer second;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        first = TestServer.start();
        // a second server of the cluster: same database, never the one the worker talks to
        second = TestServer.start(Map.of("gnomon.db.url", ServerConfig.of(Map.of("gnomon.data-dir",
            first.dataDir().toString())).dbUrl(), "gnomon.log.tail-poll", "50ms"));
        String secret = first.createApp("logs");
        first.worker("logs", secret, b -> b.workerId("log-writer").processor("gated", ctx -> {
            for (int i = 1; i <= BEFORE; i++) {
                ctx.logger().info("before {}", i);
            }
            ctx.logger().warn("disk slow");
            RELEASE.await(30, TimeUnit.SECONDS);
            for (int i = 1; i <= AFTER; i++) {
                ctx.logger().info("after {}", i);
            }
            ctx.logger().error("boom");
            return Result.success();
        }));
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        second.close();
        first.close();
    }

    @Test
    void aViewerOnAnyServerSeesTheHistoryThenTheLiveLinesThenTheEnd() throws Exception {
        GnomonClient client = first.client();
        long jobId = client.jobs().create(new JobRequest("logs", "gated", null, true, "gated", null, ScheduleSpec.api(),
            null, null, null, null, null)).id();
        long id = client.jobs().run(jobId, null).id();
        await().atMost(WAIT).until(() -> client.instances().log(id, 0, 1).total() == BEFORE + 1);

        List<LogEntry> onFirst = java.util.Collections.synchronizedList(new ArrayList<>());
        List<LogEntry> onSecond = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<InstanceState> viewFirst = CompletableFuture.supplyAsync(
            () -> client.instances().follow(id, null, null, onFirst::add));
        CompletableFuture<InstanceState> viewSecond = CompletableFuture.supplyAsync(
            () -> second.client().instances().follow(id, null, null, onSecond::add));
        await().atMost(WAIT).until(() -> onFirst.size() == BEFORE + 1 && onSecond.size() == BEFORE + 1);
        assertThat(viewFirst).isNotDone();
        RELEASE.countDown();

        assertThat(viewFirst.get(30, TimeUnit.SECONDS)).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(viewSecond.get(30, TimeUnit.SECONDS)).isEqualTo(InstanceState.SUCCEEDED);
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, BEFORE).forEach(i -> expected.add("before " + i));
        expected.add("disk slow");
        IntStream.rangeClosed(1, AFTER).forEach(i -> expected.add("after " + i));
        expected.add("boom");
        assertThat(onFirst).extracting(LogEntry::text).isEqualTo(expected);
        assertThat(onSecond).isEqualTo(onFirst);
        assertThat(onFirst).extracting(LogEntry::seq).isEqualTo(LongRange.of(1, expected.size()));

        resumesAfterTheLastEventId(id, expected.size());
        downloadsAndFilters(client, id, expected);
    }

    private static void resumesAfterTheLastEventId(long id, int total) throws Exception {
        RawHttp.Reply whole = RawHttp.admin(second).get("/api/v1/instances/" + id + "/log/stream");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.contentType()).startsWith("text/event-stream");
        List<String> ids = whole.body().lines().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)).toList();
        assertThat(ids).hasSize(total);
        assertThat(whole.body()).endsWith("event: end\ndata: {\"state\":\"SUCCEEDED\"}\n\n");

        RawHttp.Reply rest = RawHttp.admin(second).get("/api/v1/instances/" + id + "/log/stream",
            "Last-Event-ID", ids.get(39));
        List<LogEntry> resumed = new ArrayList<>();
        for (String line : rest.body().lines().filter(l -> l.startsWith("data: {\"attempt\"")).toList()) {
            resumed.add(Json.mapper().readValue(line.substring(6), LogEntry.class));
        }
        assertThat(resumed).extracting(LogEntry::seq).isEqualTo(LongRange.of(41, total));
    }

    private static void downloadsAndFilters(GnomonClient client, long id, List<String> expected) {
        List<String> text = new ArrayList<>();
        assertThat(client.instances().logText(id, null, null, text::add)).isEqualTo(expected.size());
        assertThat(text.get(0)).matches("1 1 \\S+Z INFO before 1");
        assertThat(text).extracting(l -> l.substring(l.indexOf(' ', l.indexOf('Z')) + 1).split(" ", 2)[1])
            .isEqualTo(expected);

        List<String> warnings = new ArrayList<>();
        client.instances().logText(id, LogLevel.WARN, null, warnings::add);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).endsWith(" WARN disk slow");
        assertThat(warnings.get(1)).endsWith(" ERROR boom");

        List<String> afterOne = new ArrayList<>();
        client.instances().logText(id, LogLevel.INFO, "after 1", afterOne::add);
        assertThat(afterOne).hasSize(11).allMatch(l -> l.contains(" INFO after 1"));
    }

    @Test
    void badLevelsPositionsAndInstancesAreRefusedWithAProblem() {
        RawHttp admin = RawHttp.admin(first);
        String detail = assertProblem(admin.get("/api/v1/instances/1/log/text?level=LOUD"), 400, "level");
        assertThat(detail).contains("'LOUD'").contains("DEBUG, INFO, WARN, ERROR");
        assertProblem(admin.get("/api/v1/instances/1/log/stream", "Last-Event-ID", "yesterday"), 400, "Last-Event-ID");
        assertProblem(admin.get("/api/v1/instances/987654321/log/text"), 404, null);
        assertProblem(admin.get("/api/v1/instances/987654321/log/stream"), 404, null);
    }

    /** Sequence numbers from..to as a list, for comparisons. */
    private static final class LongRange {
        static List<Long> of(long from, long to) {
            return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
        }
    }
}
