package dev.gnomon.tests.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TaskResource;
import dev.gnomon.tests.GnomonJvm;
import dev.gnomon.tests.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A map-reduce over two worker JVMs, one killed with SIGKILL midway: the dead worker's sub-tasks
 * run again on the survivor, and every sub-task's result reaches the reduce exactly once.
 */
class MapReduceWorkerKilledTest {

    /** Sub-tasks of the instance; {@code -Dgnomon.test.map-reduce.size=N} changes it. */
    private static final int SUB_TASKS = Integer.getInteger("gnomon.test.map-reduce.size", 100_000);
    private static final int SLOTS = 64;
    /**
     * Every 100th sub-task takes 2 s (the others no time), so that the killed worker surely holds
     * some when it dies: the owner, not the workers, sets the pace of the others.
     */
    private static final String SLOW_SUB_TASKS = "/2000/100";
    private static final Duration WAIT = Duration.ofMinutes(6);

    @Test
    void everyResultReachesTheReduceOnceAfterAWorkerIsKilledMidway() throws Exception {
        try (TestServer t = TestServer.start(Agents.FAST_FAILURE_DETECTION)) {
            String secret = t.createApp("mr");
            GnomonClient client = t.client();
            try (GnomonJvm w1 = worker(t, secret, "mr-1"); GnomonJvm w2 = worker(t, secret, "mr-2")) {
                await().atMost(Agents.WAIT).untilAsserted(() -> assertThat(client.workers().list("mr").items())
                    .filteredOn(w -> w.state().equals("ONLINE")).extracting(w -> w.id())
                    .contains("mr-1", "mr-2"));
                long jobId = client.jobs().create(new JobRequest("mr", "count", null, true, CountingMapReduce.NAME,
                    SUB_TASKS + SLOW_SUB_TASKS, ScheduleSpec.api(), ExecutionMode.MAP_REDUCE, 1, null, null, null,
                    null, null, null)).id();
                long id = client.jobs().run(jobId, null).id();

                // a third of the sub-tasks are done: kill the worker that does not run the root (a root run
                // again would emit its items again, under its new task id) while it runs slow sub-tasks
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
                    succeeded(client, id) >= SUB_TASKS / 3);
                String rootWorker = client.instances().tasks(id, List.of(), 0, 1).items().get(0).workerId();
                GnomonJvm doomed = rootWorker.equals("mr-1") ? w2 : w1;
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                    running(client, id, doomed.name()) >= 2);
                long running = running(client, id, doomed.name());
                System.out.println("[MapReduceWorkerKilledTest] killing " + doomed.name() + " (alive "
                    + doomed.isAlive() + ") with " + running + " tasks; counts " + client.instances().taskCounts(id)
                    .byState() + "; its output ends:\n" + tail(doomed.outputText()));
                assertThat(doomed.isAlive()).as("%s alive before the kill", doomed.name()).isTrue();
                doomed.kill();

                InstanceResource done = awaitEnded(client, id);
                System.out.println("[MapReduceWorkerKilledTest] " + SUB_TASKS + " sub-tasks, " + doomed.name()
                    + " killed: instance " + done.state() + " in " + Duration.between(done.startedAt(),
                    done.finishedAt()) + "; tasks " + client.instances().taskCounts(id).byState());
                assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.result()).isEqualTo(CountingMapReduce.expected(SUB_TASKS));
                Map<String, Long> counts = client.instances().taskCounts(id).byState();
                assertThat(counts).containsOnlyKeys("SUCCEEDED", "WORKER_LOST")
                    .containsEntry("SUCCEEDED", SUB_TASKS + 2L);
                List<TaskResource> lost = client.instances().tasks(id, List.of("WORKER_LOST"), 0, 1000).items();
                // each lost attempt was on the killed worker; its key then succeeded once, on another attempt
                assertThat(lost).isNotEmpty().allSatisfy(task -> {
                    assertThat(task.workerId()).isEqualTo(doomed.name());
                    assertThat(task.attempt()).isEqualTo(1);
                });
            }
        }
    }

    private static String tail(String text) {
        return text.length() <= 3_000 ? text : text.substring(text.length() - 3_000);
    }

    private static GnomonJvm worker(TestServer t, String secret, String id) {
        return GnomonJvm.startMain(id, MapReduceWorkerMain.class, List.of(t.url(), "mr", secret, id,
            String.valueOf(SLOTS)));
    }

    private static long running(GnomonClient client, long id, String worker) {
        return client.instances().tasks(id, List.of("RUNNING"), 0, 1000).items().stream()
            .filter(task -> task.workerId().equals(worker)).count();
    }

    private static long succeeded(GnomonClient client, long id) {
        return client.instances().taskCounts(id).byState().getOrDefault("SUCCEEDED", 0L);
    }

    private static InstanceResource awaitEnded(GnomonClient client, long id) {
        InstanceResource[] last = new InstanceResource[1];
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = client.instances().get(id);
            return last[0].state().terminal();
        });
        return last[0];
    }
}
