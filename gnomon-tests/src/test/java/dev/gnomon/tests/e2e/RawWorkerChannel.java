package dev.gnomon.tests.e2e;

import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.worker.transport.HttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A worker channel the test drives by hand: it says hello, records what the server sends, and
 * sends exactly the reports the test asks for, resends included. Processor name: {@code raw}.
 */
final class RawWorkerChannel implements Connection.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Message> received = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Connection connection;

    private RawWorkerChannel() {
    }

    /** Connects, says hello listing {@code running}, and waits until the server accepts. */
    static RawWorkerChannel open(String url, String app, String secret, String workerId, List<TaskRef> running)
        throws Exception {
        RawWorkerChannel c = new RawWorkerChannel();
        c.connection = new HttpTransport().connect(Endpoint.parse(url), c).get(10, TimeUnit.SECONDS);
        c.connection.send(new WorkerHello(app, secret, workerId, "test-host", "test", Set.of("raw"), 4, running));
        c.awaitMessage(HelloAccepted.class, m -> true);
        return c;
    }

    /** Waits (bounded) for a message of the type that matches, and returns the first such. */
    <T extends Message> T awaitMessage(Class<T> type, Predicate<T> matches) {
        return await().atMost(WAIT).until(() -> first(type, matches), m -> m != null);
    }

    private <T extends Message> T first(Class<T> type, Predicate<T> matches) {
        for (Message m : received) {
            if (type.isInstance(m) && matches.test(type.cast(m))) {
                return type.cast(m);
            }
        }
        return null;
    }

    /** Sends a report as a worker would, keyed by (task, attempt, seq). */
    void report(TaskRef ref, long seq, TaskPhase phase, String message) {
        connection.send(new TaskReport(ref.taskId(), ref.attempt(), seq, phase, message, Instant.now()));
    }

    /** Report acknowledgements received for (task, attempt, seq). */
    long acks(TaskRef ref, long seq) {
        return received.stream().filter(m -> m instanceof Ack a && a.kind() == Ack.AckKind.REPORT
            && a.taskId() == ref.taskId() && a.attempt() == ref.attempt() && a.seq() == seq).count();
    }

    /** Waits (bounded) until (task, attempt, seq) was acknowledged {@code times} times on this channel. */
    void awaitAcks(TaskRef ref, long seq, long times) {
        await().atMost(WAIT).until(() -> acks(ref, seq) >= times);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void onMessage(Message message) {
        received.add(message);
    }

    @Override
    public void onClosed(String reason) {
        closed = true;
    }

    @Override
    public void close() {
        connection.close("test is done with this channel");
    }
}
