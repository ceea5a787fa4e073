package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskPhase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code ctx.map}: sub-tasks go to the server in batches, each held until the server stored it. */
class MapEmitTest extends WorkerFixture {

    record Part(int id, String name) {
    }

    private static DispatchTask root(long taskId) {
        return new DispatchTask(taskId, 1, 900, 7, "job", "mapper", null, null, 0, TaskKind.PROCESS, "root", -1, 0,
            null, List.of());
    }

    @Test
    void itemsGoInBatchesInOrderAndMapReturnsOnceEachWasStoredEvenAcrossAReconnect() throws Exception {
        FakeServer server = server();
        AtomicBoolean dropFirst = new AtomicBoolean(true);
        server.mapReply = m -> {
            if (m.seq() == 2 && dropFirst.getAndSet(false)) {
                server.dropConnection();
                return null;
            }
            return new MapAccepted(m.taskId(), m.attempt(), m.seq(), null);
        };
        connectedWorker(server, b -> b.processor("mapper", ctx -> {
            ctx.map(IntStream.range(0, 2_500).mapToObj(i -> "n" + i).toList(), "part");
            ctx.map(List.of(new Part(1, "one")), "obj");
            return Result.success("mapped");
        }));
        DispatchTask task = root(41);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        List<MapTasks> batches = server.of(MapTasks.class);
        // batch 2 went out again on the new channel; the server stores each (task, attempt, seq) once
        assertThat(batches).extracting(MapTasks::seq).containsExactly(1L, 2L, 2L, 3L, 4L);
        Map<Long, MapTasks> bySeq = new java.util.TreeMap<>();
        batches.forEach(b -> bySeq.put(b.seq(), b));
        assertThat(bySeq.values()).extracting(MapTasks::name, MapTasks::firstIndex, b -> b.items().size())
            .containsExactly(org.assertj.core.groups.Tuple.tuple("part", 0L, 1_000),
                org.assertj.core.groups.Tuple.tuple("part", 1_000L, 1_000),
                org.assertj.core.groups.Tuple.tuple("part", 2_000L, 500),
                org.assertj.core.groups.Tuple.tuple("obj", 2_500L, 1));
        assertThat(bySeq.get(3L).items().get(499)).isEqualTo("n2499");
        assertThat(bySeq.get(4L).items()).containsExactly("{\"id\":1,\"name\":\"one\"}");
    }

    @Test
    void aRefusedBatchFailsTheTaskWithTheServersReasonAndABadNameFailsBeforeSending() throws Exception {
        FakeServer server = server();
        server.mapReply = m -> new MapAccepted(m.taskId(), m.attempt(), m.seq(), "job 'j' has mode STANDALONE");
        connectedWorker(server, b -> b.processor("mapper", ctx -> {
            ctx.map(List.of("a"), "part");
            return Result.success("not reached");
        }).processor("badname", ctx -> {
            ctx.map(List.of("a"), "reduce");
            return Result.success("not reached");
        }));
        DispatchTask refused = root(42);
        DispatchTask badName = new DispatchTask(43, 1, 900, 7, "job", "badname", null, null, 0, TaskKind.PROCESS,
            "root", -1, 0, null, List.of());

        server.send(refused);
        server.send(badName);

        awaitReport(server, refused.ref(), TaskPhase.FAILED);
        awaitReport(server, badName.ref(), TaskPhase.FAILED);
        assertThat(server.report(refused.ref(), TaskPhase.FAILED).message()).isEqualTo("java.lang.IllegalStateException:"
            + " the server refused sub-task batch 1 of task 42: job 'j' has mode STANDALONE");
        assertThat(server.report(badName.ref(), TaskPhase.FAILED).message()).contains("sub-task name 'reduce' is reserved");
        assertThat(server.of(MapTasks.class)).extracting(MapTasks::taskId).containsOnly(42L);
    }

    @Test
    void aBatchGivenUpOnNeverLendsItsNumberToTheNext() throws Exception {
        FakeServer server = server();
        server.mapReply = m -> new MapAccepted(m.taskId(), m.attempt(), m.seq(), m.seq() == 1 ? "not now" : null);
        connectedWorker(server, b -> b.processor("mapper", ctx -> {
            try {
                ctx.map(List.of("a", "b"), "part");
            } catch (IllegalStateException refused) {
                ctx.map(List.of("c"), "part");
            }
            return Result.success("mapped");
        }));
        DispatchTask task = root(46);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.of(MapTasks.class)).extracting(MapTasks::seq, MapTasks::firstIndex)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0L), org.assertj.core.groups.Tuple.tuple(2L, 2L));
    }

    @Test
    void aSubTaskReadsItsItemAndATaskStoppedWhileWaitingEndsStopped() throws Exception {
        FakeServer server = server();
        server.mapReply = m -> null;
        connectedWorker(server, b -> b.processor("mapper", ctx -> {
            if (ctx.item() != null) {
                Part p = ctx.item(Part.class);
                return Result.success(ctx.taskKey() + " " + p.name() + " attempt " + ctx.attempt());
            }
            ctx.map(List.of("never stored"), "part");
            return Result.success("not reached");
        }));
        DispatchTask sub = new DispatchTask(44, 2, 900, 7, "job", "mapper", null, null, 0, TaskKind.PROCESS,
            "part-41-7", -1, 0, "{\"id\":7,\"name\":\"seven\"}", List.of());
        DispatchTask waiting = root(45);

        server.send(sub);
        server.send(waiting);
        awaitReport(server, sub.ref(), TaskPhase.SUCCEEDED);
        await().atMost(WAIT).until(() -> !server.of(MapTasks.class).isEmpty());
        server.send(new StopTask(45, 1, StopReason.USER));

        awaitReport(server, waiting.ref(), TaskPhase.STOPPED);
        assertThat(server.report(sub.ref(), TaskPhase.SUCCEEDED).message()).isEqualTo("part-41-7 seven attempt 2");
    }
}
