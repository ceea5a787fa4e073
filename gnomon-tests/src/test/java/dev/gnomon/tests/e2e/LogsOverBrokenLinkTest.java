package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.tests.fault.FaultProxy;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Decision 7 on a bad link: a job writes 100,000 numbered log lines over about 30 seconds while
 * its worker's link has 300 ms of latency each way and is cut ten times. The instance ends
 * SUCCEEDED once, the stored log holds every line once and in order, and a live viewer that
 * followed the whole run (from the server, not through the bad link) saw exactly the same.
 */
class LogsOverBrokenLinkTest {

    private static final int LINES = 100_000;
    private static final Duration WRITING = Duration.ofSeconds(30);
    private static final int CUTS = 10;

    @Test
    void everyLineArrivesOnceInOrderThroughLatencyAndTenCuts() throws Exception {
        // The link is cut every 3 s: a worker is SUSPECT while it reconnects, and never LOST.
        try (TestServer t = TestServer.start(Map.of("gnomon.worker.suspect-after", "10s",
                 "gnomon.worker.lost-after", "90s"));
             FaultProxy proxy = FaultProxy.start(URI.create(t.url()).getPort())) {
            String secret = t.createApp("chatty");
            AtomicInteger runs = new AtomicInteger();
            GnomonWorker worker = GnomonWorker.builder().servers("http://127.0.0.1:" + proxy.port()).app("chatty")
                .secret(secret).workerId("far-away").processor("chat", ctx -> {
                    runs.incrementAndGet();
                    long start = System.nanoTime();
                    for (int i = 1; i <= LINES; i++) {
                        ctx.logger().info("line {}", i);
                        if (i % 1_000 == 0) {
                            // keep to the pace of LINES over WRITING
                            long due = start + WRITING.toNanos() / LINES * i;
                            LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
                        }
                    }
                    return Result.success("wrote " + LINES + " lines");
                }).build();
            try {
                proxy.latency(Duration.ofMillis(300), Duration.ZERO);
                worker.start();
                assertThat(worker.awaitConnected(Duration.ofSeconds(30))).isTrue();
                GnomonClient client = t.client();
                JobResource j = client.jobs().create(job("chatty", "chat", "chat", null, ScheduleSpec.api(), null,
                    null));
                long id = client.jobs().run(j.id(), null).id();
                List<LogEntry> seen = new ArrayList<>();
                CompletableFuture<InstanceState> viewer = CompletableFuture.supplyAsync(
                    () -> client.instances().follow(id, null, null, seen::add));
                proxy.cutEvery(WRITING.dividedBy(CUTS));

                InstanceResource[] last = new InstanceResource[1];
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (last[0] = client.instances().get(id)).state().terminal());
                InstanceResource done = last[0];
                proxy.cutEvery(null);
                InstanceState followed = viewer.get(60, TimeUnit.SECONDS);

                assertThat(proxy.cuts()).isGreaterThanOrEqualTo(CUTS);
                assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.attempt()).isEqualTo(1);
                assertThat(runs).hasValue(1);
                assertThat(followed).isEqualTo(InstanceState.SUCCEEDED);
                List<String> expected = IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList();
                List<String> stored = new ArrayList<>();
                client.instances().logText(id, null, null, stored::add);
                assertThat(stored).hasSize(LINES);
                assertThat(stored.stream().map(l -> l.substring(l.indexOf(" INFO ") + 6)).toList())
                    .isEqualTo(expected);
                assertThat(stored.stream().map(l -> Long.parseLong(l.split(" ")[1])).toList())
                    .isEqualTo(IntStream.rangeClosed(1, LINES).mapToObj(i -> (long) i).toList());
                assertThat(seen).extracting(LogEntry::text).isEqualTo(expected);
                assertThat(seen).extracting(LogEntry::seq).doesNotHaveDuplicates().isSorted();
                assertThat(worker.droppedLogLines()).isZero();
            } finally {
                worker.close();
            }
        }
    }
}
