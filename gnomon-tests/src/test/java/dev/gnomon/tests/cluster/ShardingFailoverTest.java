package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.tests.GnomonJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The owner of an app is killed with SIGKILL while a sharded instance is half done, on PostgreSQL:
 * the new owner carries on from the tasks in the database. Finished shards are not run again,
 * running ones are adopted, waiting ones are dispatched, and the instance succeeds.
 */
class ShardingFailoverTest {

    private static final int SHARDS = 6;
    /**
     * After the takeover a worker's running shard waits this long for the worker to come back (it
     * backs off between reconnects while no server owns the app): long enough on a loaded machine.
     */
    private static final Map<String, String> PATIENT_WORKERS = Map.of("gnomon.worker.suspect-after", "5s",
        "gnomon.worker.lost-after", "20s");

    @Test
    void theNewOwnerResumesTheInstanceWithoutRerunningAShard() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(PATIENT_WORKERS)) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient client = servers.get(0).client();
            String secret = client.apps().create("halves", "sharding failover test").secret();
            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "halves", o -> true,
                Duration.ofSeconds(15));
            GnomonJvm a = c.startShellWorker("halves", secret, "worker-a");
            GnomonJvm b = c.startShellWorker("halves", secret, "worker-b");
            Workers.awaitOnline(client, "halves", a);
            Workers.awaitOnline(client, "halves", b);

            Path ledger = c.dir().resolve("ledger");
            Files.createDirectories(ledger);
            String script = "echo run >> '" + ledger + "/'\"$GNOMON_TASK_KEY\"; sleep 2";
            // one shard per worker at a time: the instance takes three rounds, the kill lands in the middle
            JobRequest request = new JobRequest("halves", "reindex", null, true, "shell", script, ScheduleSpec.api(),
                ExecutionMode.SHARDING, 1, null, null, null,
                new WorkerSelection(SelectionStrategy.ROUND_ROBIN, null, null, null, null, null, null, 1, null),
                IntStream.range(0, SHARDS).mapToObj(i -> "part-" + i).toList(), null);
            long jobId = client.jobs().create(request).id();
            long id = client.jobs().run(jobId, null).id();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                client.instances().taskCounts(id).byState().getOrDefault("SUCCEEDED", 0L) >= 2);

            ClusterServer doomed = c.server(owner.serverId());
            ClusterServer survivor = servers.stream().filter(s -> s != doomed).findFirst().orElseThrow();
            doomed.process().kill();

            GnomonClient via = survivor.client();
            InstanceResource done = Workers.awaitInstance(via, id, "ended", Duration.ofSeconds(60),
                i -> i.state().terminal());
            System.out.println("[ShardingFailoverTest] killed " + doomed.id() + "; instance " + done + "; tasks "
                + via.instances().tasks(id, List.of(), 0, 100).items());
            if (done.state() != InstanceState.SUCCEEDED) {
                System.out.println("[ShardingFailoverTest] worker-a:\n" + a.outputText() + "\nworker-b:\n"
                    + b.outputText() + "\n" + survivor.id() + ":\n" + survivor.outputText());
            }
            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.result()).isEqualTo("all " + SHARDS + " shards succeeded");
            for (int i = 0; i < SHARDS; i++) {
                assertThat(Files.readAllLines(ledger.resolve("shard-" + i))).as("runs of shard %d", i)
                    .containsExactly("run");
            }
            // a refused attempt (a worker full while the new owner's count settles) never ran
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE instance_id = ? AND state <> 'REFUSED'", id))
                .as("one attempt ran per shard").isEqualTo(SHARDS);
        }
    }
}
