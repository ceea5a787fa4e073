package dev.gnomon.server.dispatch;

import static dev.gnomon.server.dispatch.DispatchFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.SelectionStrategy;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.store.JobRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each selection strategy and filter, checked on the dispatches it produced. */
class WorkerSelectionTest {

    private final DispatchFixture f = new DispatchFixture(42);

    @AfterEach
    void close() {
        f.close();
    }

    private JobRow job(String name, WorkerSelection selection) {
        JobRequest r = request(name);
        return f.job(new JobRequest(r.app(), r.name(), null, true, r.processor(), r.params(), r.schedule(), null, 100,
            dev.gnomon.protocol.api.OverlapPolicy.QUEUE, null, null, selection, null, null));
    }

    private static WorkerSelection sel(SelectionStrategy s, String key, Set<String> tags, Set<String> workers,
                                       Double cpu, Long memMb, Integer perWorker, Duration wait) {
        return new WorkerSelection(s, key, tags, workers, null, cpu, memMb, perWorker, wait);
    }

    /** Runs {@code n} instances, one pass each; returns the worker each went to. */
    private List<String> runEach(JobRow job, int n) {
        return runEach(f, job, n);
    }

    private static List<String> runEach(DispatchFixture fixture, JobRow job, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = fixture.run(job);
            fixture.pass();
            out.add(fixture.instance(id).workerId());
        }
        return out;
    }

    @Test
    void roundRobinTakesTheWorkersInTurnByWorkerId() {
        f.worker("w3", 10);
        f.worker("w1", 10);
        f.worker("w2", 10);
        JobRow job = job("rr", WorkerSelection.of(SelectionStrategy.ROUND_ROBIN));

        assertThat(runEach(job, 6)).containsExactly("w1", "w2", "w3", "w1", "w2", "w3");
    }

    @Test
    void randomSpreadsOverEveryWorkerAndFollowsItsSeed() {
        f.worker("w1", 100);
        f.worker("w2", 100);
        f.worker("w3", 100);
        JobRow job = job("random", WorkerSelection.of(SelectionStrategy.RANDOM));

        List<String> picks = runEach(job, 60);

        Map<String, Integer> counts = new HashMap<>();
        picks.forEach(w -> counts.merge(w, 1, Integer::sum));
        assertThat(counts).containsOnlyKeys("w1", "w2", "w3");
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(8));
        List<String> rotation = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rotation.add("w" + (i % 3 + 1));
        }
        assertThat(picks).isNotEqualTo(rotation);
        try (DispatchFixture same = new DispatchFixture(42)) {
            same.worker("w1", 100);
            same.worker("w2", 100);
            same.worker("w3", 100);
            JobRow again = same.job(new JobRequest("modes", "random", null, true, DispatchFixture.PROCESSOR, null,
                dev.gnomon.protocol.api.ScheduleSpec.api(), null, 100, dev.gnomon.protocol.api.OverlapPolicy.QUEUE,
                null, null, WorkerSelection.of(SelectionStrategy.RANDOM), null, null));
            assertThat(runEach(same, again, 60)).as("the same seed picks the same workers").isEqualTo(picks);
        }
    }

    @Test
    void leastLoadedPicksTheSmallestShareOfSlotsThenTheLowestCpu() {
        f.worker("busy", 4);
        f.worker("idle", 4);
        f.heartbeat("busy", 0.1, 100, 1000, 3);
        f.heartbeat("idle", 0.9, 100, 1000, 0);
        JobRow job = job("least", WorkerSelection.of(SelectionStrategy.LEAST_LOADED));

        // idle has 0 of 4 slots in use: it takes tasks until it is as loaded as busy (3 of 4)
        assertThat(runEach(job, 3)).containsExactly("idle", "idle", "idle");
        // both at 3 of 4: the lower CPU load wins
        assertThat(runEach(job, 1)).containsExactly("busy");
        // the server's own count of slots fills both workers (4 each); then the next instance waits, saying so
        assertThat(runEach(job, 4)).doesNotContainNull();
        long waiting = f.run(job);
        f.pass();
        assertThat(f.instance(waiting).state()).isEqualTo(InstanceState.WAITING);
        assertThat(f.instance(waiting).reason()).contains("all 2 workers the job may use are full");
    }

    @Test
    void consistentHashKeepsAKeyOnOneWorkerAndMovesItOnlyWhenThatWorkerGoes() {
        f.worker("w1", 100);
        f.worker("w2", 100);
        f.worker("w3", 100);
        JobRow tenantA = job("hash-a", sel(SelectionStrategy.CONSISTENT_HASH, "tenant-a", null, null, null, null,
            null, null));
        List<String> first = runEach(tenantA, 5);
        assertThat(first).containsOnly(first.get(0));

        f.worker("w4", 100);
        String afterJoin = runEach(tenantA, 1).get(0);
        assertThat(afterJoin).isIn(first.get(0), "w4");

        f.disconnect(afterJoin);
        String afterLeave = runEach(tenantA, 1).get(0);
        assertThat(afterLeave).isNotEqualTo(afterJoin);

        // different keys spread: 40 keys do not all land on one worker
        Set<String> used = new java.util.HashSet<>();
        for (int k = 0; k < 40; k++) {
            used.add(runEach(job("hash-k" + k, sel(SelectionStrategy.CONSISTENT_HASH, "key-" + k, null, null, null,
                null, null, null)), 1).get(0));
        }
        assertThat(used).hasSizeGreaterThan(1);
    }

    @Test
    void tagsAllowOnlyWorkersThatDeclareEveryTagAndOtherwiseTheInstanceWaitsThenFails() {
        f.worker("plain", 10);
        f.worker("gpu-only", 10, "gpu");
        f.worker("gpu-eu", 10, "gpu", "eu");
        JobRow job = job("tags", sel(null, null, Set.of("gpu", "eu"), null, null, null, null, Duration.ofSeconds(30)));

        assertThat(runEach(job, 3)).containsOnly("gpu-eu");

        JobRow missing = job("tags-missing", sel(null, null, Set.of("tpu"), null, null, null, null,
            Duration.ofSeconds(30)));
        long id = f.run(missing);
        f.pass();
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.WAITING);
        assertThat(f.instance(id).reason()).contains("waiting for a worker the job's selection allows")
            .contains("plain lacks tags [tpu]").contains("gpu-eu lacks tags [tpu] (has [eu, gpu])");

        f.advance(Duration.ofSeconds(31));
        f.pass();
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.instance(id).reason()).contains("lacks tags [tpu]").contains("for 30 s")
            .contains("selection.workerWait");
    }

    @Test
    void designatedWorkersAreTheOnlyOnesUsed() {
        f.worker("w1", 10);
        f.worker("w2", 10);
        f.worker("w3", 10);
        JobRow job = job("designated", sel(SelectionStrategy.ROUND_ROBIN, null, null, Set.of("w3", "w1"), null, null,
            null, null));

        assertThat(runEach(job, 4)).containsExactly("w1", "w3", "w1", "w3");
    }

    @Test
    void minimumFreeCpuAndMemoryLeaveOutLoadedWorkersAndWorkersWithoutMetrics() {
        f.worker("hot", 10);
        f.worker("full-heap", 10);
        f.worker("fine", 10);
        f.worker("silent", 10);
        f.heartbeat("hot", 0.95, 100, 2048, 0);
        f.heartbeat("full-heap", 0.10, 1900, 2048, 0);
        f.heartbeat("fine", 0.20, 100, 2048, 0);
        JobRow job = job("filters", sel(SelectionStrategy.ROUND_ROBIN, null, null, null, 0.5, 512L, null, null));

        assertThat(runEach(job, 3)).containsOnly("fine");

        f.heartbeat("fine", 0.99, 100, 2048, 0);
        long id = f.run(job);
        f.pass();
        assertThat(f.instance(id).reason()).contains("hot has free CPU 0.05, below the job's minimum 0.50")
            .contains("full-heap has 148 MiB free heap, below the job's minimum 512 MiB")
            .contains("silent has not reported its CPU load yet");
    }

    @Test
    void perWorkerCapLimitsTheJobsTasksOnEachWorker() {
        f.worker("w1", 10);
        f.worker("w2", 10);
        JobRow job = job("capped", sel(SelectionStrategy.ROUND_ROBIN, null, null, null, null, null, 1, null));

        List<String> first = runEach(job, 3);
        assertThat(first.subList(0, 2)).containsExactlyInAnyOrder("w1", "w2");
        assertThat(first.get(2)).isNull();

        DispatchTask onW1 = f.sent("w1").get(0);
        f.finish("w1", onW1, TaskPhase.SUCCEEDED, "done");
        f.pass();
        assertThat(f.sent("w1")).hasSize(2);
        assertThat(f.sent("w2")).hasSize(1);
    }

    @Test
    void maxWorkersCapsHowManyWorkersAShardedInstanceUses() {
        f.worker("w1", 10);
        f.worker("w2", 10);
        f.worker("w3", 10);
        JobRow job = f.job(new JobRequest("modes", "capped-shards", null, true, DispatchFixture.PROCESSOR, null,
            dev.gnomon.protocol.api.ScheduleSpec.api(), ExecutionMode.SHARDING, 1, null, null, null,
            new WorkerSelection(SelectionStrategy.ROUND_ROBIN, null, null, null, 2, null, null, null, null),
            List.of("a", "b", "c", "d", "e", "f"), null));

        long id = f.run(job);
        f.pass();

        assertThat(f.workersOf(id)).hasSize(6).containsOnly("w1", "w2");
        assertThat(f.sent("w3")).isEmpty();
    }
}
