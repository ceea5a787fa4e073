package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reports of map sub-tasks, applied on their own thread beside the dispatch loop: the ends are
 * written there, and the instance's next step is taken on the loop, once, whichever end comes last.
 */
class SubTaskReportsTest {

    private final DispatchFixture f = new DispatchFixture(5);
    private final DispatchLoop loop = new DispatchLoop();
    private final List<TaskReport> passedOn = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> readFrom = new java.util.concurrent.ConcurrentHashMap<>();
    private final SubTaskReports lane = f.subTaskReports(loop, passedOn, readFrom);

    @AfterEach
    void close() {
        lane.close();
        loop.close();
        f.close();
    }

    private JobRow job(ExecutionMode mode, RetrySpec retry) {
        return f.job(new JobRequest("modes", "lane-" + mode, null, true, DispatchFixture.PROCESSOR, "job-params",
            ScheduleSpec.api(), mode, 1, null, retry, null, null, null, null));
    }

    /** Runs the job; its root maps {@code items} and ends (on the loop's path); returns the sub-tasks sent. */
    private List<DispatchTask> mapped(long instanceId, List<String> items) {
        f.pass();
        DispatchTask root = f.sent("w1").get(0);
        f.started("w1", root);
        f.map(root, 1, "part", 0, items);
        f.finish("w1", root, TaskPhase.SUCCEEDED, "mapped");
        f.pass();
        List<DispatchTask> subs = f.sent("w1").subList(1, 1 + items.size());
        assertThat(subs).allSatisfy(t -> assertThat(t.taskKey()).startsWith("part-"));
        assertThat(f.instance(instanceId).state()).isEqualTo(InstanceState.RUNNING);
        return subs;
    }

    /** Sends the reports through the lane and waits until they and the loop's steps after them are done. */
    private void report(TaskReport... reports) throws Exception {
        for (TaskReport r : reports) {
            lane.enqueue(f.registry.session(f.appId, "w1").orElseThrow(), r);
        }
        lane.awaitApplied();
        loop.submit(() -> null).get(10, TimeUnit.SECONDS);
    }

    private long reduceSteps(long instanceId) {
        return f.tasks.ofInstance(instanceId).stream().filter(t -> t.taskKey().equals("reduce")).count();
    }

    @Test
    void subTaskEndsAreWrittenOffTheLoopAndTheLastStartsTheReduceStepOnce() throws Exception {
        f.worker("w1", 8);
        long id = f.run(job(ExecutionMode.MAP_REDUCE, null));
        List<DispatchTask> subs = mapped(id, List.of("a", "b", "c"));

        TaskReport firstStart = f.report(subs.get(0), TaskPhase.STARTED, null);
        TaskReport firstEnd = f.report(subs.get(0), TaskPhase.SUCCEEDED, "ra");
        report(firstStart, firstEnd, f.report(subs.get(1), TaskPhase.SUCCEEDED, "rb"));
        assertThat(f.tasks.countsByState(id)).containsOnly(Map.entry(TaskStore.SUCCEEDED, 3L),
            Map.entry(TaskStore.DISPATCHED, 1L));
        assertThat(reduceSteps(id)).isZero();
        // a resend is acknowledged and applied never twice; a report on another attempt is refused
        report(firstEnd, new TaskReport(subs.get(1).taskId(), 7, 99, TaskPhase.FAILED, "stale", firstEnd.at()));
        assertThat(f.tasks.find(subs.get(0).taskId()).orElseThrow().result()).isEqualTo("ra");
        assertThat(f.tasks.find(subs.get(1).taskId()).orElseThrow().state()).isEqualTo(TaskStore.SUCCEEDED);
        assertThat(countRefused(subs.get(1).taskId())).isEqualTo(1);

        report(f.report(subs.get(2), TaskPhase.SUCCEEDED, "rc"));
        assertThat(reduceSteps(id)).isEqualTo(1);
        f.pass();
        DispatchTask reduce = f.sent("w1").get(4);
        assertThat(reduce.taskKey()).isEqualTo("reduce");
        // the reduce step's reports are the loop's: passed on, in order
        TaskReport reduceEnd = f.report(reduce, TaskPhase.SUCCEEDED, "sum");
        report(reduceEnd);
        assertThat(passedOn).containsExactly(reduceEnd);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(reduceSteps(id)).isEqualTo(1);
    }

    @Test
    void aSubTaskTriedAgainIsWrittenWithItsEndAndTheLoopReadsTheAppFromTheFirst() throws Exception {
        f.worker("w1", 8);
        long id = f.run(job(ExecutionMode.MAP, new RetrySpec(1, null, Duration.ZERO, null)));
        List<DispatchTask> subs = mapped(id, List.of("a", "b"));

        report(f.report(subs.get(0), TaskPhase.FAILED, "bad input"), f.report(subs.get(1), TaskPhase.SUCCEEDED, "ok"));

        List<TaskRow> attempts = f.tasks.ofInstance(id).stream().filter(t -> t.taskKey().equals(subs.get(0).taskKey()))
            .toList();
        assertThat(attempts).extracting(TaskRow::attempt, TaskRow::state).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "FAILED"), org.assertj.core.groups.Tuple.tuple(2, TaskStore.WAITING));
        // the loop reads the app from at most the next attempt's id, above every task before it
        assertThat(readFrom).containsOnlyKeys(f.appId);
        assertThat(readFrom.get(f.appId)).isLessThanOrEqualTo(attempts.get(1).id()).isGreaterThan(subs.get(1).taskId());
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        f.eventPass();
        DispatchTask again = f.sent("w1").get(3);
        assertThat(again.taskKey()).isEqualTo(subs.get(0).taskKey());
        assertThat(again.attempt()).isEqualTo(2);

        report(f.report(again, TaskPhase.SUCCEEDED, "ok now"));
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(f.ended).containsExactly(id);
    }

    @Test
    void theLastTwoEndsOnTheLaneAndOnTheLoopStartOneReduceStep() throws Exception {
        f.worker("w1", 8);
        long id = f.run(job(ExecutionMode.MAP_REDUCE, null));
        List<DispatchTask> subs = mapped(id, List.of("a", "b"));

        // the lane commits its end while the loop is busy; the loop then ends the other task itself
        CountDownLatch hold = DispatchFixture.hold(loop);
        lane.enqueue(f.registry.session(f.appId, "w1").orElseThrow(), f.report(subs.get(0), TaskPhase.SUCCEEDED, "a"));
        lane.awaitApplied();
        f.endAlone("w1", subs.get(1), TaskPhase.SUCCEEDED, "b");
        assertThat(reduceSteps(id)).isEqualTo(1);
        hold.countDown();
        loop.submit(() -> null).get(10, TimeUnit.SECONDS);

        assertThat(reduceSteps(id)).isEqualTo(1);
    }

    @Test
    void anInstanceWhoseLastEndsWereWrittenWithoutItsNextStepIsSettledBySweep() throws Exception {
        f.worker("w1", 8);
        long reduced = f.run(job(ExecutionMode.MAP_REDUCE, null));
        List<DispatchTask> subs = mapped(reduced, List.of("a", "b"));
        // the look the lane queues never runs before the sweep (a server that stopped would never run it)
        CountDownLatch hold = DispatchFixture.hold(loop);
        for (DispatchTask t : subs) {
            lane.enqueue(f.registry.session(f.appId, "w1").orElseThrow(), f.report(t, TaskPhase.SUCCEEDED, "r"));
        }
        lane.awaitApplied();
        assertThat(reduceSteps(reduced)).isZero();

        assertThat(lane.settleStuck()).isEqualTo(1);
        assertThat(reduceSteps(reduced)).isEqualTo(1);
        hold.countDown();
        loop.submit(() -> null).get(10, TimeUnit.SECONDS);
        assertThat(reduceSteps(reduced)).isEqualTo(1);
        assertThat(lane.settleStuck()).isZero();
        assertThat(f.instance(reduced).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void reportsOfOtherTasksArePassedOnInOrder() throws Exception {
        f.worker("w1", 8);
        long id = f.run(job(ExecutionMode.MAP, null));
        f.pass();
        DispatchTask root = f.sent("w1").get(0);
        TaskReport started = f.report(root, TaskPhase.STARTED, null);
        TaskReport unknown = new TaskReport(987_654L, 1, 1, TaskPhase.SUCCEEDED, null, started.at());
        TaskReport ended = f.report(root, TaskPhase.SUCCEEDED, "no items");

        report(started, unknown, ended);

        assertThat(passedOn).containsExactly(started, unknown, ended);
        assertThat(f.tasks.find(root.taskId()).orElseThrow().state()).isEqualTo(TaskStore.DISPATCHED);
        assertThat(f.instance(id).state()).isEqualTo(InstanceState.DISPATCHED);
    }

    @Test
    void aChannelRoutesTheReportsOfTheSubTasksItWasSentAndNoOthers() {
        WorkerSession w1 = f.worker("w1", 8);
        DispatchTask sub = dispatch(41, "part-7-0");
        w1.sendAll(List.of(sub, dispatch(42, "root"), dispatch(43, "shard-2"), dispatch(44, "worker-w-1-2"),
            dispatch(45, "reduce")));
        TaskReport start = f.report(sub, TaskPhase.STARTED, null);
        TaskReport end = f.report(sub, TaskPhase.SUCCEEDED, "r");

        assertThat(w1.reportsOnSubTask(start)).isTrue();
        assertThat(w1.reportsOnSubTask(end)).isTrue();
        // once its end was routed, a resend of it goes to the loop, which acknowledges it again
        assertThat(w1.reportsOnSubTask(end)).isFalse();
        for (long other = 42; other <= 45; other++) {
            assertThat(w1.reportsOnSubTask(new TaskReport(other, 1, 1, TaskPhase.SUCCEEDED, null, end.at()))).isFalse();
        }
        // another channel of the same worker was not sent it
        assertThat(f.worker("w2", 8).reportsOnSubTask(start)).isFalse();
    }

    private static DispatchTask dispatch(long taskId, String key) {
        return new DispatchTask(taskId, 1, 1, 1, "job", DispatchFixture.PROCESSOR, null, null, 0,
            dev.gnomon.protocol.TaskKind.PROCESS, key, null, null, null, List.of());
    }

    @Test
    void aWaitingTaskBelowTheMarkIsSentOnceTheLoopIsToldToReadFromIt() {
        f.worker("w1", 8);
        long id = f.run(job(ExecutionMode.MAP, new RetrySpec(1, null, Duration.ofSeconds(10), null)));
        f.pass();
        DispatchTask root = f.sent("w1").get(0);
        f.started("w1", root);
        f.map(root, 1, "part", 0, List.of("a"));
        f.eventPass();
        DispatchTask first = f.sent("w1").get(1);
        f.finish("w1", first, TaskPhase.FAILED, "bad input");
        // its next attempt waits ten seconds; passes send what the root maps meanwhile, past it
        f.map(root, 2, "part", 1, List.of("b"));
        f.eventPass();
        assertThat(f.sent("w1")).hasSize(3);
        f.advance(Duration.ofSeconds(11));
        f.eventPass();
        assertThat(f.sent("w1")).hasSize(3);

        TaskRow retry = f.tasks.ofInstance(id).stream().filter(t -> t.attempt() == 2).findFirst().orElseThrow();
        f.readWaitingFrom(retry.id());
        f.eventPass();

        assertThat(f.sent("w1")).hasSize(4);
        assertThat(f.sent("w1").get(3).taskId()).isEqualTo(retry.id());
    }

    private int countRefused(long taskId) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM refused_reports WHERE task_id = :id")
            .bind("id", taskId).mapTo(Integer.class).one());
    }
}
