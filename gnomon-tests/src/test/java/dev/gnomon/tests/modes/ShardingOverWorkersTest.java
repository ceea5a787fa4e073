package dev.gnomon.tests.modes;

import static dev.gnomon.tests.modes.Agents.awaitInstance;
import static dev.gnomon.tests.modes.Agents.ledger;
import static dev.gnomon.tests.modes.Agents.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.tests.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight shards over three worker JVMs: each shard runs once, with its own parameter, spread over all three. */
class ShardingOverWorkersTest {

    @TempDir
    Path dir;

    @Test
    void eightShardsRunOnceEachSpreadOverThreeWorkers() {
        try (TestServer t = TestServer.start(Agents.FAST_FAILURE_DETECTION);
             Agents agents = new Agents(t, "parts", t.createApp("parts"))) {
            GnomonClient client = t.client();
            agents.start("w1", "w2", "w3");
            String script = "echo \"$GNOMON_SHARD_INDEX/$GNOMON_SHARD_COUNT $GNOMON_SHARD_PARAMS\" >> '" + dir
                + "/'\"$GNOMON_TASK_KEY\"; sleep 1";
            List<String> params = IntStream.range(0, 8).mapToObj(i -> "partition-" + i).toList();
            long jobId = client.jobs().create(new JobRequest("parts", "reindex", null, true, "shell", script,
                ScheduleSpec.api(), ExecutionMode.SHARDING, 1, null, null, null,
                WorkerSelection.of(SelectionStrategy.ROUND_ROBIN), params, null)).id();

            long id = client.jobs().run(jobId, null).id();
            InstanceResource done = awaitInstance(client, id, "ended", i -> i.state().terminal());

            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.result()).isEqualTo("all 8 shards succeeded");
            for (int i = 0; i < 8; i++) {
                assertThat(ledger(dir.resolve("shard-" + i))).as("shard %d", i)
                    .containsExactly(i + "/8 partition-" + i);
            }
            List<TaskResource> all = tasks(client, id);
            assertThat(all).hasSize(8).allSatisfy(task -> {
                assertThat(task.state()).isEqualTo("SUCCEEDED");
                assertThat(task.attempt()).isEqualTo(1);
            });
            Map<String, Long> perWorker = all.stream().collect(Collectors.groupingBy(TaskResource::workerId,
                Collectors.counting()));
            assertThat(perWorker).containsOnlyKeys("w1", "w2", "w3");
            assertThat(perWorker.values()).allSatisfy(n -> assertThat(n).isBetween(2L, 3L));
            assertThat(client.instances().tasks(id, List.of("SUCCEEDED"), 0, 3).items()).hasSize(3);
            assertThat(client.instances().tasks(id, List.of("SUCCEEDED"), 0, 3).total()).isEqualTo(8);
        }
    }
}
