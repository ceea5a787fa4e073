package dev.gnomon.worker;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.Bundle;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.ResultsRequest;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.MessageCodec;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHello;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A server for tests: accepts worker channels, records every message, acknowledges what it
 * receives unless told not to, and can send messages or drop the channel.
 */
final class FakeServer implements AutoCloseable {

    final List<Message> received = new CopyOnWriteArrayList<>();
    /** Every frame as it came, a bundle as one {@link Bundle}; {@link #received} holds the messages unbundled. */
    final List<Message> frames = new CopyOnWriteArrayList<>();
    volatile Function<WorkerHello, Message> helloReply = h -> new HelloAccepted("fake", 200);
    volatile boolean ackReports = true;
    volatile boolean ackLogs = true;
    /** The answer to a sub-task batch; null sends none. Stores every batch by default. */
    volatile Function<MapTasks, MapAccepted> mapReply = m -> new MapAccepted(m.taskId(), m.attempt(), m.seq(), null);
    /** The answer to a reduce step's request for results; null sends none. */
    volatile Function<ResultsRequest, ResultsPage> resultsReply = r -> null;
    private volatile WsContext current;
    private final Javalin app;

    FakeServer() {
        this(0);
    }

    FakeServer(int port) {
        app = Javalin.create(cfg -> {
            // the worker's log batches may reach a few hundred KiB; Jetty's default limit is 64 KiB
            cfg.jetty.modifyWebSocketServletFactory(f -> f.setMaxTextMessageSize(1 << 20));
            cfg.routes.ws("/api/v1/worker/channel", ws -> {
                ws.onConnect(ctx -> current = ctx);
                ws.onMessage(ctx -> {
                    Message frame = MessageCodec.decode(ctx.message());
                    frames.add(frame);
                    for (Message m : MessageCodec.unbundle(frame)) {
                        onMessage(ctx, m);
                    }
                });
            });
        }).start(port);
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    int port() {
        return app.port();
    }

    void send(Message message) {
        current.send(MessageCodec.encode(message));
    }

    /** Sends messages as {@link MessageCodec#frames} would, bundled or one per frame. */
    void sendAll(List<? extends Message> messages, boolean bundles) {
        for (String frame : MessageCodec.frames(messages, bundles)) {
            current.send(frame);
        }
    }

    void dropConnection() {
        current.closeSession();
    }

    List<WorkerHello> hellos() {
        return of(WorkerHello.class);
    }

    List<TaskReport> reports(TaskRef ref) {
        return of(TaskReport.class).stream().filter(r -> r.ref().equals(ref)).toList();
    }

    boolean hasReport(TaskRef ref, TaskPhase phase) {
        return reports(ref).stream().anyMatch(r -> r.phase() == phase);
    }

    TaskReport report(TaskRef ref, TaskPhase phase) {
        return reports(ref).stream().filter(r -> r.phase() == phase).findFirst().orElseThrow();
    }

    /** Log lines of one attempt as the server would store them: each seq once. */
    List<LogLine> logLines(TaskRef ref) {
        Map<Long, LogLine> bySeq = new TreeMap<>();
        for (LogBatch batch : of(LogBatch.class)) {
            if (batch.taskId() == ref.taskId() && batch.attempt() == ref.attempt()) {
                batch.lines().forEach(l -> bySeq.putIfAbsent(l.seq(), l));
            }
        }
        return List.copyOf(bySeq.values());
    }

    <T extends Message> List<T> of(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void onMessage(WsContext ctx, Message message) {
        received.add(message);
        if (message instanceof WorkerHello hello) {
            Message reply = helloReply.apply(hello);
            if (reply != null) {
                ctx.send(MessageCodec.encode(reply));
            }
        } else if (message instanceof TaskReport r && ackReports) {
            ctx.send(MessageCodec.encode(new Ack(Ack.AckKind.REPORT, r.taskId(), r.attempt(), r.seq())));
        } else if (message instanceof ResultsRequest r) {
            ResultsPage page = resultsReply.apply(r);
            if (page != null) {
                ctx.send(MessageCodec.encode(page));
            }
        } else if (message instanceof MapTasks m) {
            MapAccepted reply = mapReply.apply(m);
            if (reply != null) {
                ctx.send(MessageCodec.encode(reply));
            }
        } else if (message instanceof LogBatch b && ackLogs && !b.lines().isEmpty()) {
            long last = b.lines().get(b.lines().size() - 1).seq();
            ctx.send(MessageCodec.encode(new Ack(Ack.AckKind.LOG, b.taskId(), b.attempt(), last)));
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
