package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner of an app killed with SIGKILL: another server takes the app over within the lease
 * duration plus the server timeout plus a round, no tick fires twice, and the ticks missed
 * meanwhile follow the misfire policy (FIRE_ONCE: one catch-up keyed by the latest missed tick).
 */
class OwnerKilledTest {

    /** Shorter than the failover, so the ticks missed during it are misfires. */
    /** A tick later than this would be a misfire: below it a tick is on time, even on a loaded machine. */
    private static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(1);
    private static final Map<String, String> SETTINGS = Map.of("gnomon.schedule.misfire-threshold", "1s");
    /** Lease duration + server timeout + one round, plus a second for polling and a loaded machine. */
    private static final Duration FAILOVER_BOUND = ClusterFixture.LEASE.plus(ClusterFixture.SERVER_TIMEOUT)
        .plus(ClusterFixture.ROUND).plusSeconds(1);

    @Test
    void anotherServerTakesOverAndTheMissedTicksFireOnceKeyedByTheLatest() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(SETTINGS)) {
            List<ClusterServer> servers = c.startServers("s1", "s2", "s3");
            GnomonClient client = servers.get(0).client();
            client.apps().create("ticker", "owner killed test");
            JobResource job = client.jobs().create(Ticks.everySecond("ticker", "every-second",
                ScheduleSpec.fixedRate(Ticks.EVERY).withMisfire(MisfirePolicy.FIRE_ONCE, null)));
            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "ticker", o -> true,
                Duration.ofSeconds(15));
            Ticks.await(client, job.id(), 3, i -> true);

            ClusterServer doomed = c.server(owner.serverId());
            ClusterServer survivor = servers.stream().filter(s -> s != doomed).findFirst().orElseThrow();
            Instant killed = Instant.now();
            doomed.process().kill();
            ClusterFixture.Owner next = ClusterFixture.awaitOwner(survivor, "ticker",
                o -> !o.serverId().equals(doomed.id()), Duration.ofSeconds(20));
            Duration failover = Duration.between(killed, Instant.now());

            GnomonClient via = survivor.client();
            List<InstanceResource> ticks = Ticks.await(via, job.id(), 4, i -> i.createdAt().isAfter(killed));
            List<InstanceResource> before = ticks.stream().filter(i -> i.createdAt().isBefore(killed)).toList();
            List<InstanceResource> after = ticks.stream().filter(i -> i.createdAt().isAfter(killed)).toList();
            InstanceResource catchUp = after.get(0);
            InstanceResource firstOnTime = after.get(1);
            System.out.println("[OwnerKilledTest] killed " + doomed.id() + " (epoch " + owner.epoch() + "); "
                + next.serverId() + " owns the app at epoch " + next.epoch() + " after " + failover.toMillis()
                + " ms (bound " + FAILOVER_BOUND.toMillis() + " ms); first on-time tick created "
                + Duration.between(killed, firstOnTime.createdAt()).toMillis() + " ms after the kill;"
                + " catch-up created " + Duration.between(killed, catchUp.createdAt()).toMillis() + " ms after it"
                + Ticks.describe(ticks));

            assertThat(failover).as("kill to new owner").isLessThanOrEqualTo(FAILOVER_BOUND);
            assertThat(next.epoch()).isGreaterThan(owner.epoch());
            Ticks.assertUnique(ticks);
            Ticks.assertGapFree(before);
            assertThat(Duration.between(catchUp.scheduledAt(), catchUp.createdAt()))
                .as("the catch-up is keyed by the latest missed tick").isBetween(Duration.ZERO, Ticks.EVERY);
            assertThat(Duration.between(before.get(before.size() - 1).scheduledAt(), catchUp.scheduledAt()))
                .as("the earlier missed ticks were folded into the catch-up").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            Ticks.assertGapFree(after);
            assertThat(after.subList(1, after.size())).as("on time again after the catch-up")
                .allSatisfy(i -> assertThat(Duration.between(i.scheduledAt(), i.createdAt()))
                    .isLessThan(MISFIRE_THRESHOLD));
        }
    }
}
