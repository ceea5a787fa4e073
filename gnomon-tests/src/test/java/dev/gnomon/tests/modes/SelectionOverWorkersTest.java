package dev.gnomon.tests.modes;

import static dev.gnomon.tests.modes.Agents.awaitInstance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.tests.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Each selection strategy and filter over three worker JVMs, checked on the worker each instance ran on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelectionOverWorkersTest {

    private TestServer server;
    private Agents agents;
    private GnomonClient client;
    private int jobs;

    @BeforeAll
    void startWorkers() {
        server = TestServer.start(Agents.FAST_FAILURE_DETECTION);
        agents = new Agents(server, "pick", server.createApp("pick"));
        client = server.client();
        Map<String, List<String>> workers = new LinkedHashMap<>();
        workers.put("a", List.of("gpu"));
        workers.put("b", List.of("gpu", "eu"));
        workers.put("c", List.of());
        agents.start(workers);
    }

    @AfterAll
    void stop() {
        agents.close();
        server.close();
    }

    private long job(String script, WorkerSelection selection) {
        return client.jobs().create(new JobRequest("pick", "job-" + ++jobs, null, true, "shell", script,
            ScheduleSpec.api(), null, 10, OverlapPolicy.QUEUE, null, null, selection, null, null)).id();
    }

    /** Runs the job {@code n} times, one after the other; the worker each run went to. */
    private List<String> runEach(long jobId, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = client.jobs().run(jobId, null).id();
            InstanceResource done = awaitInstance(client, id, "ended", r -> r.state().terminal());
            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            out.add(done.workerId());
        }
        return out;
    }

    @Test
    void roundRobinTakesTheWorkersInTurn() {
        assertThat(runEach(job("true", WorkerSelection.of(SelectionStrategy.ROUND_ROBIN)), 6))
            .containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void consistentHashKeepsOneKeyOnOneWorker() {
        List<String> picks = runEach(job("true", new WorkerSelection(SelectionStrategy.CONSISTENT_HASH, "tenant-7",
            null, null, null, null, null, null, null)), 4);
        assertThat(new HashSet<>(picks)).hasSize(1);
    }

    @Test
    void randomUsesMoreThanOneWorker() {
        assertThat(new HashSet<>(runEach(job("true", WorkerSelection.of(SelectionStrategy.RANDOM)), 12)))
            .hasSizeGreaterThan(1);
    }

    @Test
    void tagsAndDesignatedWorkersNarrowTheChoice() {
        assertThat(runEach(job("true", new WorkerSelection(null, null, Set.of("gpu", "eu"), null, null, null, null,
            null, null)), 3)).containsOnly("b");
        assertThat(runEach(job("true", new WorkerSelection(SelectionStrategy.ROUND_ROBIN, null, null, Set.of("c", "a"),
            null, null, null, null, null)), 4)).containsExactly("a", "c", "a", "c");
    }

    @Test
    void leastLoadedSpreadsInstancesThatRunAtTheSameTime() {
        long jobId = job("sleep 3", WorkerSelection.of(SelectionStrategy.LEAST_LOADED));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(client.jobs().run(jobId, null).id());
        }
        Set<String> workers = new HashSet<>();
        for (long id : ids) {
            InstanceResource running = awaitInstance(client, id, "dispatched", r -> r.workerId() != null);
            workers.add(running.workerId());
        }
        assertThat(workers).containsExactlyInAnyOrder("a", "b", "c");
        for (long id : ids) {
            assertThat(awaitInstance(client, id, "ended", r -> r.state().terminal()).state())
                .isEqualTo(InstanceState.SUCCEEDED);
        }
    }

    @Test
    void aSelectionNoWorkerMatchesWaitsWithTheReasonThenFails() {
        long jobId = job("true", new WorkerSelection(null, null, Set.of("tpu"), null, null, null, null, null,
            Duration.ofSeconds(3)));
        long id = client.jobs().run(jobId, null).id();

        InstanceResource waiting = awaitInstance(client, id, "waiting with a reason", r -> r.reason() != null);
        assertThat(waiting.state()).isEqualTo(InstanceState.WAITING);
        assertThat(waiting.reason()).contains("a lacks tags [tpu] (has [gpu])").contains("c lacks tags [tpu] (has [])");
        InstanceResource failed = awaitInstance(client, id, "failed", r -> r.state().terminal());
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.reason()).contains("lacks tags [tpu]").contains("selection.workerWait");
    }
}
