package dev.gnomon.tests.modes;

import static dev.gnomon.tests.modes.Agents.awaitInstance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.tests.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Map-reduce through a real server and two workers in this JVM: every result reaches the reduce once. */
class MapReduceInProcessTest {

    private static final int SUB_TASKS = 5_000;

    @Test
    void everySubTaskResultReachesTheReduceOnceAndItsAnswerIsTheInstancesResult() {
        try (TestServer t = TestServer.start(Map.of())) {
            String secret = t.createApp("mr");
            t.worker("mr", secret, b -> b.workerId("mr-1").maxTasks(64).processor(CountingMapReduce.NAME,
                new CountingMapReduce()));
            t.worker("mr", secret, b -> b.workerId("mr-2").maxTasks(64).processor(CountingMapReduce.NAME,
                new CountingMapReduce()));
            GnomonClient client = t.client();
            long jobId = client.jobs().create(new JobRequest("mr", "count", null, true, CountingMapReduce.NAME,
                String.valueOf(SUB_TASKS), ScheduleSpec.api(), ExecutionMode.MAP_REDUCE, 1, null, null, null, null,
                null, null)).id();

            long id = client.jobs().run(jobId, null).id();
            InstanceResource done = awaitInstance(client, id, "ended", i -> i.state().terminal());

            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.result()).isEqualTo(CountingMapReduce.expected(SUB_TASKS));
            // the root, every sub-task and the reduce, each succeeded at its first attempt
            assertThat(client.instances().taskCounts(id).byState()).containsExactly(Map.entry("SUCCEEDED",
                SUB_TASKS + 2L));
            List<TaskResource> first = client.instances().tasks(id, List.of(), 0, 2).items();
            assertThat(first).extracting(TaskResource::taskKey).containsExactly("root", "id-" + first.get(0).id() + "-0");
        }
    }
}
