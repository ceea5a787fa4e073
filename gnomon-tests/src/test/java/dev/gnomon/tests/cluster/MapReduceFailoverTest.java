package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.GnomonJvm;
import dev.gnomon.tests.modes.CountingMapReduce;
import dev.gnomon.tests.modes.MapReduceWorkerMain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner of an app is killed with SIGKILL while a map-reduce instance is part done, on
 * PostgreSQL: the new owner resumes it from the tasks in the database. No task runs twice, the
 * reduce runs once and sees every sub-task's result once.
 */
class MapReduceFailoverTest {

    private static final int SUB_TASKS = 2_000;
    /** Each sub-task takes this long, so that the kill lands while many are still waiting. */
    private static final int SUB_TASK_MS = 40;
    private static final Map<String, String> PATIENT_WORKERS = Map.of("gnomon.worker.suspect-after", "5s",
        "gnomon.worker.lost-after", "20s");

    @Test
    void theNewOwnerResumesTheMapReduceWithoutRerunningATask() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(PATIENT_WORKERS)) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient client = servers.get(0).client();
            String secret = client.apps().create("counts", "map-reduce failover test").secret();
            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "counts", o -> true,
                Duration.ofSeconds(15));
            GnomonJvm a = worker(c, secret, "worker-a");
            GnomonJvm b = worker(c, secret, "worker-b");
            Workers.awaitOnline(client, "counts", a);
            Workers.awaitOnline(client, "counts", b);

            long jobId = client.jobs().create(new JobRequest("counts", "count", null, true, CountingMapReduce.NAME,
                SUB_TASKS + "/" + SUB_TASK_MS, ScheduleSpec.api(), ExecutionMode.MAP_REDUCE, 1, null, null, null,
                null, null, null)).id();
            long id = client.jobs().run(jobId, null).id();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                client.instances().taskCounts(id).byState().getOrDefault("SUCCEEDED", 0L) >= SUB_TASKS / 5);

            ClusterServer doomed = c.server(owner.serverId());
            ClusterServer survivor = servers.stream().filter(s -> s != doomed).findFirst().orElseThrow();
            doomed.process().kill();

            GnomonClient via = survivor.client();
            InstanceResource done = Workers.awaitInstance(via, id, "ended", Duration.ofSeconds(120),
                i -> i.state().terminal());
            if (done.state() != InstanceState.SUCCEEDED) {
                System.out.println("[MapReduceFailoverTest] worker-a:\n" + a.outputText() + "\nworker-b:\n"
                    + b.outputText() + "\n" + survivor.id() + ":\n" + survivor.outputText());
            }
            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.result()).isEqualTo(CountingMapReduce.expected(SUB_TASKS));
            // a worker may refuse a task while the new owner's count of its running tasks settles;
            // a refused attempt never ran, and the task is sent again
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE instance_id = ? AND state <> 'REFUSED'", id))
                .as("one attempt ran per task: the root, the sub-tasks and the reduce").isEqualTo(SUB_TASKS + 2);
            assertThat(c.queryLong("SELECT count(DISTINCT task_key) FROM tasks WHERE instance_id = ?", id))
                .isEqualTo(SUB_TASKS + 2);
            assertThat(via.instances().taskCounts(id).byState()).containsKey("SUCCEEDED")
                .containsEntry("SUCCEEDED", (long) SUB_TASKS + 2);
            assertThat(via.instances().taskCounts(id).byState().keySet()).isSubsetOf("SUCCEEDED", "REFUSED");
        }
    }

    private static GnomonJvm worker(ClusterFixture c, String secret, String id) {
        return c.closeLater(GnomonJvm.startMain(id, MapReduceWorkerMain.class, List.of(String.join(",", c.urls()),
            "counts", secret, id, "8")));
    }
}
