package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.Bundle;
import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.MessageCodec;
import dev.gnomon.protocol.ProtocolException;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.worker.channel.MapOutbox;
import dev.gnomon.worker.channel.OutboxPump;
import dev.gnomon.worker.channel.ReportOutbox;
import dev.gnomon.worker.log.LogSpool;
import dev.gnomon.worker.log.SpoolSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Several messages in one frame: sent only to a peer that said it reads them, received exactly as
 * if each had come alone, in order.
 */
class BundleTest extends WorkerFixture {

    private static List<DispatchTask> tasks(int from, int n) {
        return IntStream.range(from, from + n).mapToObj(i -> dispatch(i, "echo", "p" + i, 0)).toList();
    }

    private GnomonWorker echoWorker(FakeServer server) throws InterruptedException {
        return connectedWorker(server, b -> b.maxTasks(64).processor("echo", ctx -> {
            ctx.logger().info("ran {}", ctx.params());
            return Result.success("echo " + ctx.params());
        }));
    }

    @Test
    void aServerThatReadsBundlesGetsEveryReportOnceInOrderAfterItsLog() throws Exception {
        FakeServer server = server();
        server.helloReply = h -> new HelloAccepted("fake", 200, true);
        echoWorker(server);
        assertThat(server.hellos()).singleElement().satisfies(h -> assertThat(h.bundles()).isTrue());
        List<DispatchTask> sent = tasks(1, 30);

        server.sendAll(sent, true);

        for (DispatchTask t : sent) {
            awaitReport(server, t.ref(), TaskPhase.SUCCEEDED);
        }
        for (DispatchTask t : sent) {
            DispatchTest.assertStartedThenEnded(server.reports(t.ref()), TaskPhase.SUCCEEDED);
            assertThat(server.report(t.ref(), TaskPhase.SUCCEEDED).message()).isEqualTo("echo " + t.jobParams());
            DispatchTest.assertLogsArrivedBeforeFinalReport(server, t.ref(), 1);
        }
    }

    @Test
    void aServerOfAnEarlierVersionGetsOneMessagePerFrame() throws Exception {
        FakeServer server = server();
        echoWorker(server);
        List<DispatchTask> sent = tasks(100, 30);

        server.sendAll(sent, false);

        for (DispatchTask t : sent) {
            awaitReport(server, t.ref(), TaskPhase.SUCCEEDED);
        }
        assertThat(server.frames).noneMatch(f -> f instanceof Bundle);
        assertThat(server.frames).hasSameSizeAs(server.received);
    }

    @Test
    void oneRoundOfThePumpSendsItsLogsAndDueReportsTogetherLogsFirst() throws Exception {
        Clock clock = Clock.systemUTC();
        LogSpool spool = new LogSpool(new SpoolSettings(null, SpoolSettings.MIN_BYTES, Duration.ofHours(1)), clock,
            () -> { });
        ReportOutbox outbox = new ReportOutbox();
        TaskRef ref = new TaskRef(7, 1);
        spool.open(ref, 70);
        long line = spool.append(ref, dev.gnomon.protocol.LogLevel.INFO, "before the end");
        outbox.add(new TaskReport(7, 1, 1, TaskPhase.STARTED, null, Instant.now()), 0);
        outbox.add(new TaskReport(7, 1, 2, TaskPhase.SUCCEEDED, "ok", Instant.now()), line);
        outbox.add(new TaskReport(8, 1, 1, TaskPhase.STARTED, null, Instant.now()), 0);
        List<List<? extends Message>> calls = new CopyOnWriteArrayList<>();
        Connection recording = new Connection() {
            @Override
            public boolean send(Message message) {
                calls.add(List.of(message));
                return true;
            }

            @Override
            public boolean sendAll(List<? extends Message> messages) {
                calls.add(List.copyOf(messages));
                return true;
            }

            @Override
            public void close(String reason) {
            }

            @Override
            public boolean isOpen() {
                return true;
            }
        };
        OutboxPump pump = new OutboxPump(spool, outbox, new MapOutbox(), () -> recording, clock);
        pump.start();
        try {
            pump.wake();
            await().atMost(WAIT).until(() -> !calls.isEmpty());
            // the final report of task 7 waits until the server holds the line logged before it
            spool.ack(ref, line);
            pump.wake();
            await().atMost(WAIT).until(() -> calls.size() >= 2);
        } finally {
            pump.stop();
            spool.close();
        }

        // task 7 ended before its start report went out: its end goes alone, once its log is held
        List<? extends Message> first = calls.get(0);
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).isInstanceOf(dev.gnomon.protocol.LogBatch.class);
        assertThat(first.subList(1, 2)).extracting(m -> ((TaskReport) m).taskId() + "/" + ((TaskReport) m).seq())
            .containsExactly("8/1");
        assertThat(calls.get(1)).singleElement().satisfies(m -> assertThat(((TaskReport) m).taskId() + "/"
            + ((TaskReport) m).seq()).isEqualTo("7/2"));
    }

    @Test
    void framesKeepOrderStayUnderTheLimitAndALoneMessageIsSentAsItself() {
        String big = "x".repeat(300_000);
        List<DispatchTask> large = IntStream.range(0, 5).mapToObj(i -> dispatch(i, "p", big + i, 0)).toList();

        List<String> frames = MessageCodec.frames(large, true);

        assertThat(frames).hasSize(2);
        assertThat(frames).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(MessageCodec.BUNDLE_CHARS));
        List<Message> back = new ArrayList<>();
        frames.forEach(f -> back.addAll(MessageCodec.unbundle(MessageCodec.decode(f))));
        assertThat(back).containsExactlyElementsOf(large);

        Ack one = new Ack(Ack.AckKind.REPORT, 1, 1, 2);
        assertThat(MessageCodec.frames(List.of(one), true)).containsExactly(MessageCodec.encode(one));
        assertThat(MessageCodec.frames(large, false)).hasSize(5);
    }

    @Test
    void aBundleHoldsNoBundleOrHelloAndPeersOfEarlierVersionsReadNoneOfThem() {
        String nested = "{\"type\":\"Bundle\",\"messages\":[{\"type\":\"Bundle\",\"messages\":[]}]}";
        assertThatThrownBy(() -> MessageCodec.decode(nested)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new Bundle(List.of(new WorkerHello("a", "s", "w", "h", "1", java.util.Set.of(), 1,
            List.of())))).isInstanceOf(IllegalArgumentException.class);

        WorkerHello hello = (WorkerHello) MessageCodec.decode("{\"type\":\"WorkerHello\",\"app\":\"a\",\"secret\":\"s\","
            + "\"workerId\":\"w\",\"maxTasks\":2}");
        HelloAccepted accepted = (HelloAccepted) MessageCodec.decode("{\"type\":\"HelloAccepted\",\"serverId\":\"s1\","
            + "\"heartbeatIntervalMs\":1000}");
        assertThat(hello.bundles()).isFalse();
        assertThat(accepted.bundles()).isFalse();
    }
}
