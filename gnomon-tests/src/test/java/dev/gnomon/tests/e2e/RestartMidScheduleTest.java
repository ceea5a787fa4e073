package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.job;
import static dev.gnomon.tests.e2e.JobRuns.scheduledTimes;
import static dev.gnomon.tests.e2e.JobRuns.ticksOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server restarted on the same data keeps a job's ticks: a short restart neither skips nor
 * doubles one; a downtime past the misfire threshold follows the job's misfire policy.
 */
class RestartMidScheduleTest {

    private static final Duration EVERY = Duration.ofSeconds(2);
    /** Longer than the default misfire threshold (5 s), so the ticks missed meanwhile are misfires. */
    private static final Duration DOWNTIME = Duration.ofSeconds(7);
    /** Shorter than the misfire threshold, longer than a period. */
    private static final Duration SHORT_DOWNTIME = Duration.ofSeconds(3);

    @Test
    void restartsShorterThanTheMisfireThresholdNeitherSkipNorDoubleATick() throws InterruptedException {
        try (TestServer t = TestServer.start(Map.of())) {
            GnomonClient client = startWorkerAndClient(t, "restart");
            JobResource created = client.jobs().create(job("restart", "every-2s", "tick", null,
                ScheduleSpec.fixedRate(EVERY), null, null));
            awaitTicks(t, created.id(), 2);

            t.restart();
            Instant restarted = Instant.now();
            awaitTicksAfter(t, created.id(), restarted, 2);

            t.stopServer();
            // down long enough to miss a tick, short enough (under the 5 s threshold) that it is late, not missed
            Thread.sleep(SHORT_DOWNTIME.toMillis());
            Instant restarting = Instant.now();
            t.startServer();
            awaitTicksAfter(t, created.id(), restarting, 3);

            List<InstanceResource> ticks = ticksOf(t.client(), created.id());
            assertGapFree(scheduledTimes(ticks), ticks.get(0).scheduledAt());
            List<InstanceResource> late = ticks.stream()
                .filter(i -> i.scheduledAt().isBefore(restarting) && !i.createdAt().isBefore(restarting)).toList();
            assertThat(late).as("ticks due while the server was down, fired once it was back").isNotEmpty();
            assertThat(late).allMatch(i -> Duration.between(i.scheduledAt(), i.createdAt()).compareTo(
                SHORT_DOWNTIME.plus(Duration.ofSeconds(2))) <= 0);
        }
    }

    @Test
    void ticksMissedDuringALongDowntimeAreSkippedUnderSkip() throws InterruptedException {
        try (TestServer t = TestServer.start(Map.of())) {
            GnomonClient client = startWorkerAndClient(t, "skip");
            JobResource created = client.jobs().create(job("skip", "every-2s", "tick", null,
                ScheduleSpec.fixedRate(EVERY).withMisfire(MisfirePolicy.SKIP, null), null, null));
            Downtime d = downtime(t, created.id());

            List<Instant> before = scheduledTimes(d.ticksBefore(t.client(), created.id()));
            List<InstanceResource> after = d.ticksAfter(t.client(), created.id());
            Instant lastBefore = before.get(before.size() - 1);
            assertGapFree(before, before.get(0));
            assertThat(after.get(0).scheduledAt()).as("first tick after the downtime is a future one, not a missed one")
                .isAfter(d.restarting());
            assertThat(Duration.between(lastBefore, after.get(0).scheduledAt()))
                .as("ticks missed between %s and %s were skipped", lastBefore, after.get(0).scheduledAt())
                .isGreaterThanOrEqualTo(DOWNTIME);
            assertThat(Duration.between(after.get(0).scheduledAt(), after.get(0).createdAt()))
                .as("the first tick after the downtime fires on time").isBetween(Duration.ZERO, Duration.ofSeconds(1));
            assertGapFree(scheduledTimes(after), after.get(0).scheduledAt());
            assertNoDuplicates(t.client(), created.id());
        }
    }

    @Test
    void ticksMissedDuringALongDowntimeFireOnceUnderFireOnce() throws InterruptedException {
        try (TestServer t = TestServer.start(Map.of())) {
            GnomonClient client = startWorkerAndClient(t, "once");
            JobResource created = client.jobs().create(job("once", "every-2s", "tick", null,
                ScheduleSpec.fixedRate(EVERY).withMisfire(MisfirePolicy.FIRE_ONCE, null), null, null));
            Downtime d = downtime(t, created.id());

            List<Instant> before = scheduledTimes(d.ticksBefore(t.client(), created.id()));
            List<InstanceResource> after = d.ticksAfter(t.client(), created.id());
            Instant lastBefore = before.get(before.size() - 1);
            assertGapFree(before, before.get(0));
            InstanceResource catchUp = after.get(0);
            assertThat(catchUp.createdAt()).as("the catch-up fired once the server was back")
                .isAfterOrEqualTo(d.restarting());
            assertThat(Duration.between(catchUp.scheduledAt(), catchUp.createdAt()))
                .as("the catch-up instance is keyed by the latest missed tick").isBetween(Duration.ZERO, EVERY);
            assertThat(Duration.between(lastBefore, catchUp.scheduledAt()))
                .as("the earlier missed ticks were folded into it").isGreaterThanOrEqualTo(DOWNTIME.minus(EVERY));
            assertGapFree(scheduledTimes(after), catchUp.scheduledAt());
            assertNoDuplicates(t.client(), created.id());
        }
    }

    /** The server stopped for {@link #DOWNTIME} after a few ticks, then started again. */
    private record Downtime(Instant restarting) {

        /** Waits for three ticks after the downtime; returns the ticks fired before it (by creation time). */
        List<InstanceResource> ticksBefore(GnomonClient client, long jobId) {
            awaitAfter(client, jobId);
            return ticksOf(client, jobId).stream().filter(i -> i.createdAt().isBefore(restarting)).toList();
        }

        /** Waits for three ticks after the downtime and returns them all. */
        List<InstanceResource> ticksAfter(GnomonClient client, long jobId) {
            awaitAfter(client, jobId);
            return ticksOf(client, jobId).stream().filter(i -> !i.createdAt().isBefore(restarting)).toList();
        }

        private void awaitAfter(GnomonClient client, long jobId) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ticksOf(client, jobId)).filteredOn(i -> !i.createdAt().isBefore(restarting))
                    .hasSizeGreaterThanOrEqualTo(3));
        }
    }

    private static Downtime downtime(TestServer t, long jobId) throws InterruptedException {
        awaitTicks(t, jobId, 2);
        t.stopServer();
        // the downtime itself is the scenario: nothing to wait for while no server runs
        Thread.sleep(DOWNTIME.toMillis());
        Instant restarting = Instant.now();
        t.startServer();
        return new Downtime(restarting);
    }

    private static GnomonClient startWorkerAndClient(TestServer t, String app) {
        String secret = t.createApp(app);
        t.worker(app, secret, b -> b.processor("tick", ctx -> Result.success()));
        return t.client();
    }

    private static void awaitTicks(TestServer t, long jobId, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(ticksOf(t.client(), jobId)).hasSizeGreaterThanOrEqualTo(count));
    }

    private static void awaitTicksAfter(TestServer t, long jobId, Instant since, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(ticksOf(t.client(), jobId)).filteredOn(i -> !i.createdAt().isBefore(since))
                .hasSizeGreaterThanOrEqualTo(count));
    }

    private static void assertGapFree(List<Instant> times, Instant first) {
        assertThat(times).as("ticks").isNotEmpty();
        assertThat(times.get(0)).isEqualTo(first);
        assertThat(new HashSet<>(times)).as("each tick once in %s", times).hasSameSizeAs(times);
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 1), times.get(i)))
                .as("gap before tick %s in %s", i, times).isEqualTo(EVERY);
        }
    }

    private static void assertNoDuplicates(GnomonClient client, long jobId) {
        List<Instant> all = scheduledTimes(ticksOf(client, jobId));
        assertThat(new HashSet<>(all)).as("each tick once in %s", all).hasSameSizeAs(all);
    }
}
