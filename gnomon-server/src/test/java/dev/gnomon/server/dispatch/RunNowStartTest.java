package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.protocol.api.WorkerSelection;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run-now instance started in the transaction that records it: only when a pass would start it
 * at once too, never past the job's maxConcurrent, never ahead of the job's waiting instances,
 * and never dispatched a second time by a pass.
 */
class RunNowStartTest {

    private final DispatchFixture f = new DispatchFixture(5);
    private final DispatchLoop loop = new DispatchLoop();
    private final RunNowStart runNow = f.runNowStart(loop);

    @AfterEach
    void close() {
        loop.close();
        f.close();
    }

    private JobRow job(String name, int maxConcurrent, OverlapPolicy overlap) {
        return job(name, null, maxConcurrent, overlap, null);
    }

    private JobRow job(String name, ExecutionMode mode, int maxConcurrent, OverlapPolicy overlap,
                       WorkerSelection selection) {
        return f.job(new JobRequest("modes", name, null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), mode, maxConcurrent, overlap, null, null, selection, null, null));
    }

    private Optional<RunNowStart.Started> start(JobRow job) {
        return runNow.run(f.appId, job.id(), "now-params", null);
    }

    private long instancesOf(JobRow job) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM instances WHERE job_id = :j")
            .bind("j", job.id()).mapTo(Long.class).one());
    }

    @Test
    void thereIsRoomForAPassOnlyWhileAWorkerOfTheAppHasAFreeSlot() {
        assertThat(runNow.roomIn(f.appId)).as("no worker connected").isFalse();
        WorkerSession w1 = f.worker("w1", 1);
        assertThat(runNow.roomIn(f.appId)).isTrue();

        w1.taskStarted();
        assertThat(runNow.roomIn(f.appId)).as("its one slot taken").isFalse();
        w1.taskEnded();
        assertThat(runNow.roomIn(f.appId)).isTrue();
        f.disconnect("w1");
        assertThat(runNow.roomIn(f.appId)).as("its channel closed").isFalse();
    }

    @Test
    void aRunWithAFreeWorkerIsRecordedDispatchedWithItsTaskAndSentOnce() {
        WorkerSession w1 = f.worker("w1", 4);
        JobRow job = job("at-once", 2, OverlapPolicy.QUEUE);

        RunNowStart.Started started = start(job).orElseThrow();

        assertThat(started.workerId()).isEqualTo("w1");
        assertThat(f.sent("w1")).singleElement().satisfies(d -> {
            assertThat(d.instanceId()).isEqualTo(started.instanceId());
            assertThat(d.taskId()).isEqualTo(started.taskId());
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.jobParams()).isEqualTo("job-params");
            assertThat(d.instanceParams()).isEqualTo("now-params");
        });
        InstanceRow inst = f.instance(started.instanceId());
        assertThat(inst.state()).isEqualTo(InstanceState.DISPATCHED);
        assertThat(inst.workerId()).isEqualTo("w1");
        assertThat(inst.triggerKind()).isEqualTo(TriggerKind.API.name());
        assertThat(inst.attempt()).isEqualTo(1);
        assertThat(inst.maxAttempts()).isEqualTo(started.maxAttempts()).isEqualTo(1);
        assertThat(inst.createdAt()).isEqualTo(started.createdAt());
        assertThat(inst.startedAt()).isEqualTo(started.createdAt());
        assertThat(inst.params()).isEqualTo("now-params");
        assertThat(f.tasks.ofInstance(started.instanceId())).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(started.taskId());
            assertThat(t.state()).isEqualTo(TaskStore.DISPATCHED);
            assertThat(t.workerId()).isEqualTo("w1");
            assertThat(t.attempt()).isEqualTo(1);
        });
        assertThat(w1.inFlight()).isEqualTo(1);

        f.pass();
        assertThat(f.sent("w1")).hasSize(1);
        assertThat(w1.inFlight()).isEqualTo(1);
    }

    @Test
    void theStartedRunEndsLikeAnyOtherAndFreesItsSlot() {
        WorkerSession w1 = f.worker("w1", 1);
        JobRow job = job("ends", 1, OverlapPolicy.SKIP);
        RunNowStart.Started started = start(job).orElseThrow();

        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "done");

        assertThat(f.instance(started.instanceId()).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.ended).containsExactly(started.instanceId());
        assertThat(w1.inFlight()).isZero();
        assertThat(start(job)).isPresent();
    }

    @Test
    void maxConcurrentHoldsRunsPastItWaitForAPassAndStartWhenOneEnds() {
        f.worker("w1", 8);
        JobRow job = job("limited", 2, OverlapPolicy.QUEUE);
        assertThat(start(job)).isPresent();
        assertThat(start(job)).isPresent();

        assertThat(start(job)).isEmpty();
        assertThat(instancesOf(job)).isEqualTo(2);
        long third = f.run(job);
        f.pass();

        assertThat(f.sent("w1")).hasSize(2);
        InstanceRow waiting = f.instance(third);
        assertThat(waiting.state()).isEqualTo(InstanceState.WAITING);
        assertThat(waiting.reason()).contains("2 of at most 2");

        f.finish("w1", f.sent("w1").get(0), TaskPhase.SUCCEEDED, "done");
        f.pass();
        assertThat(f.sent("w1")).hasSize(3);
        assertThat(f.sent("w1").get(2).instanceId()).isEqualTo(third);
    }

    @Test
    void aRunStartedBetweenPassesCountsAgainstTheNextPassesMaxConcurrent() {
        f.worker("w1", 8);
        JobRow job = job("between", 2, OverlapPolicy.QUEUE);
        f.run(job);
        f.pass();
        assertThat(f.sent("w1")).hasSize(1);

        assertThat(start(job)).as("one of two running, none waiting").isPresent();
        long third = f.run(job);
        f.pass();

        assertThat(f.sent("w1")).as("the pass knows of the run started outside it").hasSize(2);
        assertThat(f.instance(third).state()).isEqualTo(InstanceState.WAITING);
        assertThat(f.instance(third).reason()).contains("2 of at most 2");
    }

    @Test
    void aJobWithAWaitingInstanceKeepsItsOrder() {
        JobRow job = job("queued", 5, OverlapPolicy.QUEUE);
        long older = f.run(job);
        f.worker("w1", 4);

        assertThat(start(job)).isEmpty();
        assertThat(instancesOf(job)).isEqualTo(1);
        f.pass();
        assertThat(f.sent("w1")).extracting(DispatchTask::instanceId).containsExactly(older);
        // the waiting instance has started, so the next run may start at once
        assertThat(start(job)).isPresent();
    }

    @Test
    void withoutAWorkerWithRoomNothingIsRecorded() {
        JobRow job = job("crowded", 5, OverlapPolicy.QUEUE);
        assertThat(start(job)).isEmpty();

        f.worker("w1", 1);
        assertThat(start(job)).isPresent();
        assertThat(start(job)).isEmpty();
        assertThat(instancesOf(job)).isEqualTo(1);
        assertThat(f.sent("w1")).hasSize(1);
    }

    @Test
    void aWorkerTheSelectionRefusesIsNotUsed() {
        f.worker("w1", 4);
        JobRow job = job("tagged", null, 5, OverlapPolicy.QUEUE,
            new WorkerSelection(null, null, java.util.Set.of("gpu"), null, null, null, null, null, null));
        assertThat(start(job)).isEmpty();
        assertThat(instancesOf(job)).isZero();

        f.worker("w2", 4, "gpu");
        assertThat(start(job)).map(RunNowStart.Started::workerId).contains("w2");
        assertThat(f.sent("w1")).isEmpty();
    }

    @Test
    void onlyStandaloneJobsWithoutAPerWorkerLimitStartAtOnce() {
        f.worker("w1", 4);
        JobRow broadcast = job("everywhere", ExecutionMode.BROADCAST, 1, OverlapPolicy.QUEUE, null);
        JobRow perWorker = job("spread", null, 5, OverlapPolicy.QUEUE,
            new WorkerSelection(null, null, null, null, null, null, null, 1, null));

        assertThat(start(broadcast)).isEmpty();
        assertThat(start(perWorker)).isEmpty();
        assertThat(instancesOf(broadcast)).isZero();
        assertThat(instancesOf(perWorker)).isZero();
        assertThat(f.sent("w1")).isEmpty();
    }

    @Test
    void aBusyLoopLeavesTheRunToThePass() throws InterruptedException {
        f.worker("w1", 4);
        JobRow job = job("busy", 5, OverlapPolicy.QUEUE);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute("blocking step", () -> {
            running.countDown();
            awaitQuietly(release);
        });
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(start(job)).isEmpty();
            assertThat(instancesOf(job)).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void callersAtOnceWithPassesOnTheLoopNeverPassMaxConcurrentNorDispatchTwice() throws Exception {
        f.worker("w1", 50);
        JobRow job = job("raced", 3, OverlapPolicy.QUEUE);
        Runnable pass = f::pass;
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (int k = 0; k < 5; k++) {
                        if (start(job).isEmpty()) {
                            f.run(job);
                            loop.coalesce(pass);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            callers.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : callers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).isFalse();
        }
        loop.submit(() -> {
            f.pass();
            return null;
        }).get(60, TimeUnit.SECONDS);

        assertThat(failures).isEmpty();
        assertThat(instancesOf(job)).isEqualTo(40);
        long active = f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM instances WHERE job_id = :j"
            + " AND state IN ('DISPATCHED', 'RUNNING')").bind("j", job.id()).mapTo(Long.class).one());
        assertThat(active).isEqualTo(3);
        assertThat(f.sent("w1")).hasSize(3).extracting(DispatchTask::instanceId).doesNotHaveDuplicates();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
