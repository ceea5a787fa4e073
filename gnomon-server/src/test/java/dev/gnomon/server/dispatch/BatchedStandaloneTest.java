package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Standalone instances in bulk: started by one pass in one transaction, their reports applied as
 * batches with one write per task and instance, and a lost worker's many attempts ended together.
 * Each outcome must be exactly what the same reports give one at a time.
 */
class BatchedStandaloneTest {

    private final DispatchFixture f = new DispatchFixture(3);

    @AfterEach
    void close() {
        f.close();
    }

    private JobRow job(int maxConcurrent, int retries) {
        return f.job(new JobRequest("modes", "bulk", null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), null, maxConcurrent, OverlapPolicy.QUEUE,
            new RetrySpec(retries, BackoffKind.FIXED, Duration.ofSeconds(5), Duration.ofSeconds(5)), null));
    }

    private List<Long> runs(JobRow job, int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(f.run(job));
        }
        return ids;
    }

    @Test
    void onePassStartsAsManyAsTheSlotsAndTheLimitAllowAndTheRestWaitWithAReason() {
        f.worker("w1", 150);
        f.worker("w2", 150);
        JobRow job = job(250, 0);
        List<Long> ids = runs(job, 400);

        f.pass();

        List<DispatchTask> sent = new ArrayList<>(f.sent("w1"));
        sent.addAll(f.sent("w2"));
        assertThat(sent).hasSize(250);
        assertThat(sent).extracting(DispatchTask::instanceId).doesNotHaveDuplicates();
        assertThat(f.sent("w1").size()).isBetween(100, 150);
        Map<InstanceState, Integer> states = new HashMap<>();
        for (long id : ids) {
            InstanceRow inst = f.instance(id);
            states.merge(inst.state(), 1, Integer::sum);
            if (inst.state() == InstanceState.DISPATCHED) {
                assertThat(inst.workerId()).isIn("w1", "w2");
                assertThat(inst.startedAt()).isNotNull();
                assertThat(f.tasks.ofInstance(id)).singleElement().satisfies(t -> {
                    assertThat(t.state()).isEqualTo(TaskStore.DISPATCHED);
                    assertThat(t.workerId()).isEqualTo(inst.workerId());
                });
            }
        }
        assertThat(states).containsEntry(InstanceState.DISPATCHED, 250).containsEntry(InstanceState.WAITING, 150);
        // the oldest of those left waiting says why (read within the free slots and the probe beyond them)
        InstanceRow next = f.instance(ids.get(250));
        assertThat(next.reason()).contains("250 of at most 250");
    }

    @Test
    void aBacklogBehindFullWorkersKeepsItsPlaceWithTheReasonOnItsOldestAndNeverTimesOut() {
        f.worker("w1", 10);
        JobRow job = job(1000, 0);
        List<Long> ids = runs(job, 60);
        f.pass();
        assertThat(f.sent("w1")).extracting(DispatchTask::instanceId).containsExactlyElementsOf(ids.subList(0, 10));

        // the oldest left waiting says why; the ones queued behind it are not written one by one
        assertThat(f.instance(ids.get(10)).reason()).isEqualTo("waiting for a free slot: all 1 workers the job may use"
            + " are full");
        assertThat(ids.subList(11, 60)).allSatisfy(id -> assertThat(f.instance(id).reason()).isNull());

        // past gnomon.dispatch.worker-wait (10 min here) the backlog still waits: its worker is only busy
        f.advance(Duration.ofMinutes(11));
        f.pass();
        assertThat(ids.subList(10, 60)).allSatisfy(id -> assertThat(f.instance(id).state())
            .isEqualTo(InstanceState.WAITING));
        assertThat(f.sent("w1")).hasSize(10);
    }

    @Test
    void aBatchOfReportsEndsEachInstanceAsOneReportAtATimeWould() {
        f.worker("w1", 100);
        JobRow once = job(100, 0);
        List<Long> ids = runs(once, 60);
        f.pass();
        List<DispatchTask> sent = f.sent("w1");
        assertThat(sent).hasSize(60);
        Map<Long, DispatchTask> byInstance = new HashMap<>();
        sent.forEach(d -> byInstance.put(d.instanceId(), d));

        // 0-19: started and succeeded in the same batch; 20-39: failed with no retry left;
        // 40-49: started only; 50-59: succeeded, and the same report sent twice
        for (int i = 0; i < 60; i++) {
            DispatchTask d = byInstance.get(ids.get(i));
            if (i < 40 || i < 50) {
                f.queue("w1", d, 1, TaskPhase.STARTED, null);
            }
            if (i < 20) {
                f.queue("w1", d, 2, TaskPhase.SUCCEEDED, "ok " + i);
            } else if (i < 40) {
                f.queue("w1", d, 2, TaskPhase.FAILED, "boom " + i);
            } else if (i >= 50) {
                f.queue("w1", d, 1, TaskPhase.SUCCEEDED, "ok " + i);
                f.queue("w1", d, 1, TaskPhase.SUCCEEDED, "ok " + i);
            }
        }
        f.drainReports();

        for (int i = 0; i < 60; i++) {
            InstanceRow inst = f.instance(ids.get(i));
            TaskRow task = f.tasks.ofInstance(inst.id()).get(0);
            if (i < 20 || i >= 50) {
                assertThat(inst.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(inst.result()).isEqualTo("ok " + i);
                assertThat(inst.finishedAt()).isNotNull();
                assertThat(task.state()).isEqualTo(TaskStore.SUCCEEDED);
                assertThat(task.finishedAt()).isNotNull();
            } else if (i < 40) {
                assertThat(inst.state()).isEqualTo(InstanceState.FAILED);
                assertThat(inst.reason()).contains("attempt 1 of 1 failed: boom " + i);
                assertThat(task.state()).isEqualTo("FAILED");
                assertThat(task.result()).isEqualTo("boom " + i);
            } else {
                assertThat(inst.state()).isEqualTo(InstanceState.RUNNING);
                assertThat(task.state()).isEqualTo(TaskStore.RUNNING);
                assertThat(task.startedAt()).isNotNull();
                assertThat(task.finishedAt()).isNull();
            }
            if (i < 40) {
                assertThat(task.startedAt()).isNotNull();
                assertThat(task.lastReportSeq()).isEqualTo(2);
            }
            if (i >= 50) {
                // an end with no start report before it (a short task's worker sends the end alone): it ran
                assertThat(task.startedAt()).isEqualTo(task.finishedAt());
            }
        }
        assertThat(f.ended).hasSize(50).doesNotHaveDuplicates();

        // a late report on an ended attempt is refused, never applied
        DispatchTask failed = byInstance.get(ids.get(25));
        f.queue("w1", failed, 3, TaskPhase.SUCCEEDED, "too late");
        f.drainReports();
        assertThat(f.instance(ids.get(25)).state()).isEqualTo(InstanceState.FAILED);
        assertThat(f.tasks.ofInstance(ids.get(25)).get(0).state()).isEqualTo("FAILED");
    }

    @Test
    void anEndWithoutAStartEndsTheInstanceAndStartsTheTaskUnlessTheWorkerRefusedIt() {
        f.worker("w1", 10);
        JobRow job = job(10, 0);
        List<Long> ids = runs(job, 2);
        f.pass();
        Map<Long, DispatchTask> byInstance = new HashMap<>();
        f.sent("w1").forEach(d -> byInstance.put(d.instanceId(), d));

        // one report at a time, as a worker's lone report is applied
        f.advance(Duration.ofSeconds(3));
        f.endAlone("w1", byInstance.get(ids.get(0)), TaskPhase.SUCCEEDED, "quick");
        f.refuse("w1", byInstance.get(ids.get(1)), "worker full");

        InstanceRow ran = f.instance(ids.get(0));
        TaskRow quick = f.tasks.ofInstance(ran.id()).get(0);
        assertThat(ran.state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(ran.result()).isEqualTo("quick");
        assertThat(quick.state()).isEqualTo(TaskStore.SUCCEEDED);
        assertThat(quick.startedAt()).isNotNull().isEqualTo(quick.finishedAt()).isGreaterThan(quick.dispatchedAt());
        TaskRow refused = f.tasks.ofInstance(ids.get(1)).get(0);
        assertThat(refused.state()).isEqualTo("REFUSED");
        assertThat(refused.startedAt()).isNull();
        assertThat(refused.finishedAt()).isNotNull();
    }

    @Test
    void aFailureWithRetriesLeftWaitsForTheNextAttemptWhichRunsAsANewTask() {
        f.worker("w1", 10);
        long id = runs(job(10, 2), 1).get(0);
        f.pass();
        DispatchTask first = f.sent("w1").get(0);
        f.queue("w1", first, 1, TaskPhase.STARTED, null);
        f.queue("w1", first, 2, TaskPhase.FAILED, "flaky");
        f.drainReports();

        InstanceRow waiting = f.instance(id);
        assertThat(waiting.state()).isEqualTo(InstanceState.WAITING);
        assertThat(waiting.attempt()).isEqualTo(2);
        assertThat(waiting.reason()).contains("attempt 1 failed: flaky; attempt 2 of 3");
        f.pass();
        assertThat(f.sent("w1")).hasSize(1);
        f.advance(Duration.ofSeconds(5));
        f.pass();
        assertThat(f.sent("w1")).hasSize(2);
        assertThat(f.sent("w1").get(1).attempt()).isEqualTo(2);
        assertThat(f.sent("w1").get(1).taskId()).isNotEqualTo(first.taskId());
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.DISPATCHED);
    }

    @Test
    void aLostWorkerWithMoreAttemptsThanOneChunkHasEveryOneEndedAndRetriedElsewhere() {
        f.worker("w1", 700);
        JobRow job = job(1000, 1);
        List<Long> ids = runs(job, 650);
        f.pass();
        f.pass();
        assertThat(f.sent("w1")).hasSize(650);
        // some are running, some still dispatched when the worker goes
        for (int i = 0; i < 300; i++) {
            f.queue("w1", f.sent("w1").get(i), 1, TaskPhase.STARTED, null);
        }
        f.drainReports();
        f.worker("w2", 1000);
        f.disconnect("w1");
        f.advance(DispatchFixture.LOST_AFTER.plusSeconds(1));
        f.sweep();

        for (long id : ids) {
            InstanceRow inst = f.instance(id);
            assertThat(inst.state()).isEqualTo(InstanceState.WAITING);
            assertThat(inst.attempt()).isEqualTo(2);
            assertThat(inst.reason()).contains("attempt 1 lost its worker");
            assertThat(f.tasks.ofInstance(id)).singleElement().satisfies(t -> {
                assertThat(t.state()).isEqualTo(TaskStore.WORKER_LOST);
                assertThat(t.finishedAt()).isNotNull();
            });
        }
        f.advance(Duration.ofSeconds(5));
        f.pass();
        f.pass();
        assertThat(f.sent("w2")).hasSize(650);
        assertThat(f.sent("w2")).allSatisfy(d -> assertThat(d.attempt()).isEqualTo(2));
        assertThat(f.ended).isEmpty();
    }
}
