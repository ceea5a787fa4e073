package dev.gnomon.tests.modes;

import static dev.gnomon.tests.modes.Agents.awaitInstance;
import static dev.gnomon.tests.modes.Agents.ledger;
import static dev.gnomon.tests.modes.Agents.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.BroadcastRule;
import dev.gnomon.protocol.api.BroadcastSpec;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.tests.GnomonJvm;
import dev.gnomon.tests.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcast to three worker JVMs, one killed with SIGKILL while its task runs: each survivor
 * runs its task exactly once, the dead worker's task ends WORKER_LOST and is never run
 * elsewhere, the AT_LEAST 2 rule decides the outcome, and the post-step runs once, seeing it all.
 */
class BroadcastWorkerKilledTest {

    @TempDir
    Path dir;

    @Test
    void survivorsRunOnceTheDeadWorkersTaskIsLostAndTheRuleDecides() throws Exception {
        try (TestServer t = TestServer.start(Agents.FAST_FAILURE_DETECTION);
             Agents agents = new Agents(t, "fleet", t.createApp("fleet"))) {
            GnomonClient client = t.client();
            List<String> workers = List.of("node-a", "node-b", "node-c");
            List<GnomonJvm> jvms = agents.start(workers.toArray(String[]::new));
            // each task appends to its ledger, then waits (bounded) for the test to let it finish
            String script = "if [ \"$GNOMON_TASK_KEY\" = post ]; then echo \"$GNOMON_RESULTS\" >> '" + dir
                + "/post'; exit 0; fi\n"
                + "echo ran >> '" + dir + "/'\"$GNOMON_TASK_KEY\"\n"
                + "i=0; while [ ! -f '" + dir + "/go' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n"
                + "echo \"cleared on $GNOMON_TASK_KEY\"";
            long jobId = client.jobs().create(new JobRequest("fleet", "clear-cache", null, true, "shell", script,
                ScheduleSpec.api(), ExecutionMode.BROADCAST, 1, null, null, null, null, null,
                new BroadcastSpec(BroadcastRule.AT_LEAST, 2, true, null))).id();

            long id = client.jobs().run(jobId, null).id();
            await().atMost(Agents.WAIT).until(() -> workers.stream()
                .allMatch(w -> ledger(dir.resolve("worker-" + w)).size() == 1));
            GnomonJvm doomed = jvms.get(1);
            doomed.noteDescendants();
            doomed.kill();

            await().atMost(Agents.WAIT).untilAsserted(() -> assertThat(tasks(client, id))
                .filteredOn(task -> task.workerId().equals(doomed.name())).singleElement()
                .extracting(TaskResource::state).isEqualTo("WORKER_LOST"));
            Files.writeString(dir.resolve("go"), "go");
            InstanceResource done = awaitInstance(client, id, "ended", i -> i.state().terminal());

            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.reason()).contains("2 of 3 workers succeeded (rule AT_LEAST 2)")
                .contains("worker-node-b WORKER_LOST");
            for (String w : workers) {
                assertThat(ledger(dir.resolve("worker-" + w))).as("runs on %s", w).containsExactly("ran");
            }
            List<TaskResource> all = tasks(client, id);
            assertThat(all).extracting(TaskResource::taskKey).containsExactlyInAnyOrder("worker-node-a",
                "worker-node-b", "worker-node-c", "post");
            assertThat(all).filteredOn(task -> !task.taskKey().equals("post"))
                .allSatisfy(task -> assertThat(task.taskKey()).isEqualTo("worker-" + task.workerId()));
            assertThat(client.instances().taskCounts(id).byState())
                .containsExactlyInAnyOrderEntriesOf(Map.of("SUCCEEDED", 3L, "WORKER_LOST", 1L));
            List<String> post = ledger(dir.resolve("post"));
            assertThat(post).hasSize(1);
            assertThat(post.get(0)).contains("\"taskKey\":\"worker-node-b\"").contains("WORKER_LOST")
                .contains("\"taskKey\":\"worker-node-a\"").contains("\"taskKey\":\"worker-node-c\"");
        }
    }
}
