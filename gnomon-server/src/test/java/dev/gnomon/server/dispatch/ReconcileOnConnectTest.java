package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker that connects while the owner's loop is busy: a dispatch pass already queued sends it
 * tasks before its list of running tasks is reconciled. Those tasks were sent on the new channel,
 * so the worker could not list them: they are not "missing", not sent twice, and its slots are
 * counted once (counting them twice left a worker full forever, with nothing dispatched again).
 */
class ReconcileOnConnectTest {

    private final DispatchFixture f = new DispatchFixture(11);
    private final DispatchLoop loop = new DispatchLoop();

    @AfterEach
    void close() {
        loop.close();
        f.close();
    }

    @Test
    void tasksSentBeforeTheReconcileStepAreNeitherResentNorCountedTwice() throws Exception {
        JobRow job = f.job(new JobRequest("modes", "queued", null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), null, 100, OverlapPolicy.QUEUE, null, null));
        for (int i = 0; i < 30; i++) {
            f.run(job);
        }
        WorkerHub hub = f.hub(loop);
        CountDownLatch hold = DispatchFixture.hold(loop);
        // a pass queued before the worker connects runs before the step that reconciles it
        loop.execute("earlier pass", f::pass);
        WorkerSession session = hub.connected(f.appId, new WorkerHello("modes", "secret", "w1", "host", "1",
            Set.of(DispatchFixture.PROCESSOR), 20, List.of(), Set.of()), f.recordingLink("w1"));
        hold.countDown();
        loop.submit(() -> null).get(10, TimeUnit.SECONDS);

        List<DispatchTask> sent = f.sent("w1");
        assertThat(sent).hasSize(20);
        assertThat(sent).extracting(DispatchTask::taskId).doesNotHaveDuplicates();
        assertThat(session.inFlight()).isEqualTo(20);
    }
}
