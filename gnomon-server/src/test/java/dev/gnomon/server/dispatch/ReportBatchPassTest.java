package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The owner's loop applies one batch of reports per step: the pass that the batch's freed slots
 * queue runs before the next batch, so the worker gets new tasks while the rest of the reports
 * are still being applied, not after all of them.
 */
class ReportBatchPassTest {

    private final DispatchFixture f = new DispatchFixture(5);
    private final DispatchLoop loop = new DispatchLoop();

    @AfterEach
    void close() {
        loop.close();
        f.close();
    }

    @Test
    void aPassQueuedByABatchsFreedSlotsRunsBeforeTheNextBatch() throws Exception {
        int slots = ReportHandler.BATCH + 88;
        JobRow job = f.job(new JobRequest("modes", "many", null, true, DispatchFixture.PROCESSOR, null,
            ScheduleSpec.api(), null, 1_000, OverlapPolicy.QUEUE, null, null));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 2 * slots; i++) {
            ids.add(f.run(job));
        }
        WorkerHub hub = f.hub(loop);
        WorkerSession session = hub.connected(f.appId, new WorkerHello("modes", "secret", "w1", "host", "1",
            Set.of(DispatchFixture.PROCESSOR), slots, List.of(), Set.of()), f.recordingLink("w1"));
        loop.submit(() -> {
            f.pass();
            return null;
        }).get(30, TimeUnit.SECONDS);
        List<DispatchTask> first = List.copyOf(f.sent("w1"));
        assertThat(first).hasSize(slots);

        // each pass notes how many of the first tasks had ended when it ran
        List<Long> endedAtPass = new CopyOnWriteArrayList<>();
        Runnable pass = () -> {
            endedAtPass.add(ids.stream().limit(slots).filter(id -> f.instance(id).state() == InstanceState.SUCCEEDED)
                .count());
            f.pass();
        };
        f.slotFreed = () -> loop.coalesce(pass);
        CountDownLatch hold = DispatchFixture.hold(loop);
        for (DispatchTask t : first) {
            hub.received(session, new TaskReport(t.taskId(), t.attempt(), 1, TaskPhase.SUCCEEDED, "ok", Instant.now()));
        }
        hold.countDown();
        // every step re-queued behind this one has run once the loop answers twice in a row with nothing new
        for (int round = 0; round < 20 && f.sent("w1").size() < 2 * slots; round++) {
            loop.submit(() -> null).get(30, TimeUnit.SECONDS);
        }

        assertThat(endedAtPass).first().isEqualTo((long) ReportHandler.BATCH);
        assertThat(f.sent("w1")).hasSize(2 * slots);
        assertThat(ids.stream().limit(slots).map(f::instance)).allSatisfy(i ->
            assertThat(i.state()).isEqualTo(InstanceState.SUCCEEDED));
        assertThat(session.inFlight()).isEqualTo(slots);
    }
}
