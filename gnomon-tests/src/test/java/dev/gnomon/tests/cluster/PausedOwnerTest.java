package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An owner frozen (SIGSTOP) past its lease while another server takes over, then woken
 * (SIGCONT): nothing it writes under its old epoch lands, it says it lost the lease and steps
 * down, and no tick fires twice.
 */
class PausedOwnerTest {

    private static final Duration PAUSE = ClusterFixture.LEASE.plus(ClusterFixture.SERVER_TIMEOUT).plusSeconds(2);

    @Test
    void aWokenOwnerStepsDownAndWritesNothingUnderItsOldEpoch() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient client = servers.get(0).client();
            String secret = client.apps().create("paused", "paused owner test").secret();
            long appId = client.apps().get("paused").id();
            GnomonWorker worker = c.closeLater(GnomonWorker.builder().servers(c.urls()).app("paused").secret(secret)
                .workerId("in-test-worker").processor("tick", ctx -> Result.success()).build());
            worker.start();
            assertThat(worker.awaitConnected(Duration.ofSeconds(20))).as("worker connected").isTrue();
            JobResource job = client.jobs().create(Ticks.everySecond("paused", "every-second",
                ScheduleSpec.fixedRate(Ticks.EVERY)));
            Ticks.await(client, job.id(), 3, i -> i.state().terminal());
            ClusterFixture.Owner old = ClusterFixture.awaitOwner(servers.get(0), "paused", o -> true,
                Duration.ofSeconds(5));
            ClusterServer frozen = c.server(old.serverId());
            ClusterServer other = servers.stream().filter(s -> s != frozen).findFirst().orElseThrow();

            frozen.process().pause();
            Instant paused = Instant.now();
            ClusterFixture.Owner next;
            Instant resumed;
            try {
                // the takeover needs lease expiry, the server timeout and a placement round; on a
                // loaded machine that can take longer than PAUSE, and staying frozen longer keeps the scenario
                next = ClusterFixture.awaitOwner(other, "paused", o -> !o.serverId().equals(frozen.id()),
                    PAUSE.plusSeconds(15));
                // the scenario: stay frozen for longer than lease + server timeout
                Thread.sleep(Math.max(0, PAUSE.toMillis() - Duration.between(paused, Instant.now()).toMillis()));
            } finally {
                resumed = Instant.now();
                frozen.process().resume();
            }
            System.out.println("[PausedOwnerTest] " + frozen.id() + " frozen at epoch " + old.epoch() + " for "
                + Duration.between(paused, resumed).toMillis() + " ms; " + next.serverId() + " took over at epoch "
                + next.epoch());

            String lost = "lost the lease of app " + appId + " at epoch " + old.epoch();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (frozen.process().output().stream().noneMatch(l -> l.contains(lost)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(frozen.process().output()).as("the woken server says it stepped down; %s",
                frozen.process().outputText()).anyMatch(l -> l.contains(lost));

            GnomonClient via = other.client();
            List<InstanceResource> ticks = Ticks.await(via, job.id(), 3, i -> i.createdAt().isAfter(resumed.plusSeconds(1))
                && i.state().terminal());
            System.out.println("[PausedOwnerTest] ticks:" + Ticks.describe(ticks));
            Ticks.assertUnique(ticks);

            long resumedMs = resumed.toEpochMilli();
            assertThat(c.queryLong("SELECT count(*) FROM instances WHERE app_id = ? AND epoch <= ? AND updated_at >= ?",
                appId, old.epoch(), resumedMs)).as("instances written under the old epoch after the wake-up").isZero();
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE app_id = ? AND epoch <= ? AND (dispatched_at >= ?"
                    + " OR started_at >= ? OR finished_at >= ?)", appId, old.epoch(), resumedMs, resumedMs, resumedMs))
                .as("tasks written under the old epoch after the wake-up").isZero();
            assertThat(c.queryLong("SELECT count(*) FROM instances WHERE app_id = ? AND created_at >= ? AND epoch < ?",
                appId, resumedMs, next.epoch())).as("instances made after the wake-up below the new owner's epoch")
                .isZero();
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE app_id = ? AND dispatched_at >= ? AND epoch < ?",
                appId, resumedMs, next.epoch())).as("tasks dispatched after the wake-up below the new owner's epoch")
                .isZero();
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE app_id = ? AND dispatched_at >= ?", appId,
                resumedMs)).as("tasks ran after the wake-up").isPositive();
        }
    }
}
