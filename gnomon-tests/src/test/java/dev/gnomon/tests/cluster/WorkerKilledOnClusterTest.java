package dev.gnomon.tests.cluster;

import dev.gnomon.tests.GnomonJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RetrySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker JVM killed with SIGKILL mid-task on a cluster: the owner declares it lost and the
 * instance's retry policy runs attempt 2 on the other worker JVM; it never stays RUNNING.
 */
class WorkerKilledOnClusterTest {

    @Test
    void theSecondAttemptRunsOnTheOtherWorker() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient client = servers.get(0).client();
            String secret = client.apps().create("crash", "worker killed test").secret();
            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "crash", o -> true,
                Duration.ofSeconds(15));
            ClusterServer notOwner = servers.stream().filter(s -> !s.id().equals(owner.serverId())).findFirst()
                .orElseThrow();
            GnomonJvm a = c.startShellWorker("crash", secret, "worker-a");
            GnomonJvm b = c.startShellWorker("crash", secret, "worker-b");
            Workers.awaitOnline(client, "crash", a);
            Workers.awaitOnline(client, "crash", b);

            GnomonClient via = notOwner.client();
            JobResource job = via.jobs().create(Ticks.shell("crash", "sleeps", "sleep 60",
                new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1))));
            long id = via.jobs().run(job.id(), null).id();
            InstanceResource first = Workers.awaitInstance(via, id, "RUNNING", Duration.ofSeconds(30),
                i -> i.state() == InstanceState.RUNNING);
            GnomonJvm doomed = first.workerId().equals("worker-a") ? a : b;
            GnomonJvm survivor = doomed == a ? b : a;

            Instant killed = Instant.now();
            doomed.kill();
            InstanceResource second = Workers.awaitInstance(via, id, "RUNNING attempt 2 on " + survivor.name(),
                Duration.ofSeconds(30), i -> i.attempt() == 2 && i.state() == InstanceState.RUNNING
                    && survivor.name().equals(i.workerId()));
            System.out.println("[WorkerKilledOnClusterTest] " + doomed.name() + " killed; attempt 2 RUNNING on "
                + second.workerId() + " after " + Duration.between(killed, Instant.now()).toMillis() + " ms");
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE instance_id = ?", id)).as("one task per attempt")
                .isEqualTo(2);
            assertThat(via.instances().stop(id).state()).isEqualTo(InstanceState.STOPPED);
        }
    }
}
