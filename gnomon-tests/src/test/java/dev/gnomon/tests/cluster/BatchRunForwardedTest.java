package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.BatchRunResource;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch run sent to a server that does not own the app is carried out by the owner, as one
 * run-now is; its idempotency key goes with it.
 */
class BatchRunForwardedTest {

    @Test
    void aBatchSentToANonOwnerIsRecordedByTheOwnerInOrder() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient client = servers.get(0).client();
            client.apps().create("batch", "forwarded batch run test");
            JobResource job = client.jobs().create(new JobRequest("batch", "many", null, true, "shell", "true",
                ScheduleSpec.api(), null, 10, OverlapPolicy.QUEUE, null, null));
            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "batch", o -> true,
                Duration.ofSeconds(20));
            ClusterServer other = servers.stream().filter(s -> !s.id().equals(owner.serverId())).findFirst()
                .orElseThrow();

            BatchRunResource made = other.client().jobs().runAll(job.id(), Arrays.asList("a", null, "c"), "b-1");

            assertThat(made.instanceIds()).hasSize(3).doesNotHaveDuplicates();
            List<String> params = new ArrayList<>();
            for (long id : made.instanceIds()) {
                InstanceResource inst = client.instances().get(id);
                assertThat(inst.jobId()).isEqualTo(job.id());
                assertThat(inst.state()).isEqualTo(InstanceState.WAITING);
                params.add(inst.params());
            }
            assertThat(params).containsExactly("a", null, "c");

            // sent again with its key, through either server, it answers the same instances and makes none;
            // so does a single run, whose key travels to the owner with it
            ClusterServer ownerServer = servers.stream().filter(s -> s.id().equals(owner.serverId())).findFirst()
                .orElseThrow();
            List<String> same = Arrays.asList("a", null, "c");
            assertThat(other.client().jobs().runAll(job.id(), same, "b-1").instanceIds()).isEqualTo(made.instanceIds());
            assertThat(ownerServer.client().jobs().runAll(job.id(), same, "b-1").instanceIds())
                .isEqualTo(made.instanceIds());
            long single = other.client().jobs().run(job.id(), "d", "r-1").id();
            assertThat(other.client().jobs().run(job.id(), "d", "r-1").id()).isEqualTo(single);
            assertThat(ownerServer.client().jobs().run(job.id(), "d", "r-1").id()).isEqualTo(single);
            assertThat(client.instances().list(InstanceQuery.all().withJob(job.id())).total()).isEqualTo(4);
        }
    }
}
