package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.job;
import static dev.gnomon.tests.e2e.JobRuns.scheduledTimes;
import static dev.gnomon.tests.e2e.JobRuns.ticksOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.FireTimes;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cron schedules fire every tick once, on time, through a real server and worker. */
class CronFiresOnTimeTest {

    private static TestServer server;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
        String secret = server.createApp("cron");
        server.worker("cron", secret, b -> b.processor("tick", ctx -> Result.success("tick " + ctx.instanceId())));
        client = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void quartzCronEveryTwoSecondsFiresEachTickOnceAndOnTime() {
        JobResource created = client.jobs().create(job("cron", "every-2s", "tick", null,
            ScheduleSpec.cron("*/2 * * * * ?", "UTC"), null, null));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(ticksOf(client, created.id())).filteredOn(i -> i.state() == InstanceState.SUCCEEDED)
                .hasSizeGreaterThanOrEqualTo(4));
        client.jobs().disable(created.id());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(ticksOf(client, created.id())).allMatch(i -> i.state().terminal()));

        List<InstanceResource> ticks = ticksOf(client, created.id());
        List<Instant> times = scheduledTimes(ticks);
        assertThat(ticks).hasSizeGreaterThanOrEqualTo(4);
        assertThat(new HashSet<>(times)).as("each tick recorded once").hasSameSizeAs(times);
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 1), times.get(i)))
                .as("gap between tick %s and tick %s in %s", i - 1, i, times).isEqualTo(Duration.ofSeconds(2));
        }
        for (InstanceResource tick : ticks) {
            assertThat(tick.scheduledAt().getEpochSecond() % 2).as("tick %s on an even second", tick.scheduledAt())
                .isZero();
            assertThat(tick.scheduledAt().getNano()).isZero();
            Duration late = Duration.between(tick.scheduledAt(), tick.createdAt());
            assertThat(late).as("instance %s created %s after its tick", tick.id(), late)
                .isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(tick.state()).as("instance %s", tick.id()).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(tick.result()).isEqualTo("tick " + tick.id());
        }
    }

    @Test
    void unixCronEveryMinuteNextFiresOnTheNextWholeMinute() {
        Instant before = Instant.now();
        JobResource created = client.jobs().create(job("cron", "every-minute", "tick", null,
            ScheduleSpec.cron("* * * * *", "UTC"), null, null));
        Instant after = Instant.now();

        FireTimes fire = client.jobs().fireTimes(created.id(), 3);

        Instant expectedEarliest = before.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant expectedLatest = after.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        assertThat(fire.timeZone()).isEqualTo("UTC");
        assertThat(fire.times()).hasSize(3);
        assertThat(fire.times().get(0)).isBetween(expectedEarliest, expectedLatest);
        assertThat(fire.times().get(1)).isEqualTo(fire.times().get(0).plus(1, ChronoUnit.MINUTES));
        assertThat(fire.times().get(2)).isEqualTo(fire.times().get(0).plus(2, ChronoUnit.MINUTES));
        assertThat(created.nextFireAt()).isEqualTo(fire.times().get(0));
        client.jobs().disable(created.id());
    }
}
