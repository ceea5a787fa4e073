package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog ends attempts that ran past their job's timeout and the grace (10 s here) the worker
 * has to stop them itself, and tells the worker to stop; attempts within their time, of jobs
 * without a timeout, or already ended are left alone.
 */
class TimeoutSweepTest {

    private final DispatchFixture f = new DispatchFixture(5);

    @AfterEach
    void close() {
        f.close();
    }

    private JobRow job(String name, Duration timeout) {
        return f.job(new JobRequest("modes", name, null, true, DispatchFixture.PROCESSOR, "p", ScheduleSpec.api(),
            null, 10, OverlapPolicy.QUEUE, new RetrySpec(0, BackoffKind.FIXED, Duration.ZERO, Duration.ZERO), timeout));
    }

    @Test
    void attemptsPastTheirTimeoutAndGraceAreEndedAndStoppedOnTheirWorker() {
        f.worker("w1", 10);
        JobRow timed = job("timed", Duration.ofSeconds(5));
        JobRow untimed = job("untimed", null);
        long late = f.run(timed);
        long done = f.run(timed);
        long forever = f.run(untimed);
        f.pass();
        List<DispatchTask> sent = f.sent("w1");
        assertThat(sent).hasSize(3);
        DispatchTask lateTask = sent.stream().filter(d -> d.instanceId() == late).findFirst().orElseThrow();
        DispatchTask doneTask = sent.stream().filter(d -> d.instanceId() == done).findFirst().orElseThrow();
        f.finish("w1", doneTask, TaskPhase.SUCCEEDED, "ok");

        f.advance(Duration.ofSeconds(14));
        f.sweep();
        assertThat(f.instance(late).state()).isEqualTo(InstanceState.DISPATCHED);
        assertThat(f.stops("w1")).isEmpty();

        f.advance(Duration.ofSeconds(2));
        f.sweep();
        assertThat(f.instance(late).state()).isEqualTo(InstanceState.TIMED_OUT);
        assertThat(f.tasks.ofInstance(late)).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo("TIMED_OUT");
            assertThat(t.result()).contains("ran past its timeout of 5000 ms");
        });
        assertThat(f.stops("w1")).containsExactly(new StopTask(lateTask.taskId(), 1, StopReason.TIMEOUT));
        assertThat(f.instance(done).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.instance(forever).state()).isEqualTo(InstanceState.DISPATCHED);
        assertThat(f.tasks.ofInstance(forever)).singleElement()
            .satisfies(t -> assertThat(t.state()).isEqualTo(TaskStore.DISPATCHED));

        f.advance(Duration.ofMinutes(10));
        f.sweep();
        assertThat(f.stops("w1")).hasSize(1);
    }
}
