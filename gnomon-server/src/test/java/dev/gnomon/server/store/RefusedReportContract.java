package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.RefusedReport;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Decision 6: a refused late report is kept once by (task, attempt, seq), for its instance. */
interface RefusedReportContract extends StoreFixture {

    @Test
    default void aRefusedReportIsKeptOnceAndListedForItsInstance() {
        RefusedReportStore refused = new RefusedReportStore(db());
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long otherInstance = instance(fence, newJob(appId).id(), InstanceState.RUNNING);
        long taskId = task(fence, instanceId, "root", 1, "worker-1");
        String longMessage = "x".repeat(5_000);

        boolean first = db().jdbi().inTransaction(h -> refused.record(h, instanceId, taskId, 1, 2, "worker-1",
            TaskPhase.SUCCEEDED, longMessage, "attempt 1 had already ended as WORKER_LOST", 9_000));
        boolean again = db().jdbi().inTransaction(h -> refused.record(h, instanceId, taskId, 1, 2, "worker-1",
            TaskPhase.SUCCEEDED, "resent", "attempt 1 had already ended as WORKER_LOST", 9_500));
        boolean started = db().jdbi().inTransaction(h -> refused.record(h, instanceId, taskId, 1, 1, "worker-1",
            TaskPhase.STARTED, null, "attempt 1 had already ended as WORKER_LOST", 9_600));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(started).isTrue();
        assertThat(refused.count(instanceId)).isEqualTo(2);
        assertThat(refused.count(otherInstance)).isZero();
        assertThat(refused.ofInstance(instanceId, 0, 10)).extracting(RefusedReport::seq).containsExactly(2L, 1L);
        RefusedReport kept = refused.ofInstance(instanceId, 0, 1).get(0);
        assertThat(kept.instanceId()).isEqualTo(instanceId);
        assertThat(kept.taskId()).isEqualTo(taskId);
        assertThat(kept.attempt()).isEqualTo(1);
        assertThat(kept.workerId()).isEqualTo("worker-1");
        assertThat(kept.phase()).isEqualTo(TaskPhase.SUCCEEDED);
        assertThat(kept.message()).hasSize(4_000).startsWith("xxx");
        assertThat(kept.reason()).contains("WORKER_LOST");
        assertThat(kept.receivedAt()).isEqualTo(Instant.ofEpochMilli(9_000));
        assertThat(refused.ofInstance(instanceId, 1, 10)).extracting(RefusedReport::phase)
            .containsExactly(TaskPhase.STARTED);
    }
}
