package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies with many running tasks: the owner declares it LOST the moment lost-after has
 * passed, and sends the retries to the other workers at once, as many passes in a row as they need.
 */
class LostWorkerRecoveryTest {

    private final DispatchFixture f = new DispatchFixture(11);
    private final DispatchLoop loop = new DispatchLoop();

    @AfterEach
    void close() {
        loop.close();
        f.close();
    }

    /** Standalone instances with one retry due at once. */
    private List<Long> runs(int n) {
        JobRow job = f.job(new JobRequest("modes", "sleepers", null, true, DispatchFixture.PROCESSOR, null,
            ScheduleSpec.api(), null, 1_000, OverlapPolicy.QUEUE,
            new RetrySpec(1, BackoffKind.FIXED, Duration.ZERO, Duration.ZERO), null));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(f.run(job));
        }
        return ids;
    }

    private WorkerSession connect(WorkerHub hub, String id, int slots, List<TaskRef> running) {
        return hub.connected(f.appId, new WorkerHello("modes", "secret", id, "host", "1",
            Set.of(DispatchFixture.PROCESSOR), slots, running, Set.of()), f.recordingLink(id));
    }

    @Test
    void aWorkerWhoseChannelClosedIsLostTheMomentLostAfterHasPassedWithoutASweep() throws Exception {
        List<Long> ids = runs(3);
        WorkerHub hub = f.hub(loop);
        WorkerSession w1 = connect(hub, "w1", 10, List.of());
        loop.submit(f::pass).get(10, TimeUnit.SECONDS);
        assertThat(f.sent("w1")).hasSize(3);

        f.advanceSilently(DispatchFixture.LOST_AFTER.minusMillis(200));
        CountDownLatch held = DispatchFixture.hold(loop);
        hub.disconnected(w1, "connection reset");
        f.advanceSilently(Duration.ofMillis(200));
        held.countDown();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids).allSatisfy(id -> {
            assertThat(f.instance(id).state()).isEqualTo(InstanceState.WAITING);
            assertThat(f.instance(id).attempt()).isEqualTo(2);
            assertThat(f.tasks.ofInstance(id)).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(TaskStore.WORKER_LOST));
        }));
    }

    @Test
    void aWorkerThatComesBackBeforeLostAfterKeepsItsTasksWhenTheCheckComes() throws Exception {
        List<Long> ids = runs(2);
        WorkerHub hub = f.hub(loop);
        WorkerSession w1 = connect(hub, "w1", 10, List.of());
        loop.submit(f::pass).get(10, TimeUnit.SECONDS);

        List<TaskRef> running = f.sent("w1").stream().map(DispatchTask::ref).toList();

        f.advanceSilently(DispatchFixture.LOST_AFTER.minusMillis(100));
        CountDownLatch held = DispatchFixture.hold(loop);
        hub.disconnected(w1, "connection reset");
        connect(hub, "w1", 10, running);
        f.advance(Duration.ofMillis(100));
        CompletableFuture<Void> afterCheck = new CompletableFuture<>();
        loop.later(Duration.ofMillis(300), "after the check", () -> afterCheck.complete(null));
        held.countDown();
        afterCheck.get(10, TimeUnit.SECONDS);

        assertThat(ids).allSatisfy(id -> {
            assertThat(f.instance(id).attempt()).isEqualTo(1);
            assertThat(f.tasks.ofInstance(id)).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(TaskStore.DISPATCHED));
        });
    }

    @Test
    void retriesOfALostWorkersAttemptsAreSentAtOnceAsManyPassesAsTheyNeed() throws Exception {
        int n = Dispatcher.PASS_LIMIT + 150;
        List<Long> ids = runs(n);
        DispatchPass pass = f.pass(loop);
        f.watchdogEnded = () -> loop.coalesce(pass);
        f.worker("w1", 2 * n);
        while (f.pass()) {
            // until every instance runs on w1
        }
        assertThat(f.sent("w1")).hasSize(n);
        f.worker("w2", 2 * n);

        f.disconnect("w1");
        f.advance(DispatchFixture.LOST_AFTER);
        loop.submit(() -> {
            f.sweep();
            return null;
        }).get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> f.sent("w2").size() == n);
        assertThat(f.sent("w2")).extracting(DispatchTask::attempt).containsOnly(2);
        assertThat(f.sent("w2")).extracting(DispatchTask::instanceId).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aPassLimitedByTheWorkersRoomDoesNotAskForAnother() {
        runs(Dispatcher.PASS_LIMIT + 150);
        f.worker("w1", 40);

        assertThat(f.pass()).isFalse();
        assertThat(f.sent("w1")).hasSize(40);
    }

    @Test
    void aFullPageWithNothingStartedDoesNotAskForAnother() {
        JobRow job = f.job(new JobRequest("modes", "one-at-a-time", null, true, DispatchFixture.PROCESSOR, null,
            ScheduleSpec.api(), null, 1, OverlapPolicy.QUEUE, null, null));
        for (int i = 0; i < Dispatcher.PASS_LIMIT + 1; i++) {
            f.run(job);
        }
        f.worker("w1", 2 * Dispatcher.PASS_LIMIT);

        f.pass();
        assertThat(f.pass()).isFalse();
        assertThat(f.sent("w1")).hasSize(1);
    }
}
