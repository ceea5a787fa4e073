package dev.gnomon.worker;

import dev.gnomon.protocol.Ack;
import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.worker.channel.ChannelHandler;
import dev.gnomon.worker.channel.HeartbeatSampler;
import dev.gnomon.worker.channel.MapOutbox;
import dev.gnomon.worker.channel.OutboxPump;
import dev.gnomon.worker.channel.ReportOutbox;
import dev.gnomon.worker.log.LogSpool;
import dev.gnomon.worker.task.ResultReader;
import dev.gnomon.worker.task.TaskRunner;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects the channel to the worker's parts: hello, heartbeats, dispatches, stops and acks. */
final class WorkerChannelHandler implements ChannelHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerChannelHandler.class);
    private static final long DEFAULT_HEARTBEAT_MS = 5_000;

    private final WorkerIdentity identity;
    private final Set<String> processorNames;
    private final TaskRunner runner;
    private final LogSpool spool;
    private final ReportOutbox outbox;
    private final MapOutbox maps;
    private final ResultReader results;
    private final OutboxPump pump;
    private final HeartbeatSampler sampler;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> heartbeat;

    WorkerChannelHandler(WorkerIdentity identity, Set<String> processorNames, TaskRunner runner, LogSpool spool,
                         ReportOutbox outbox, MapOutbox maps, ResultReader results, OutboxPump pump, HeartbeatSampler sampler,
                         ScheduledExecutorService timer) {
        this.identity = identity;
        this.processorNames = Set.copyOf(processorNames);
        this.runner = runner;
        this.spool = spool;
        this.outbox = outbox;
        this.maps = maps;
        this.results = results;
        this.pump = pump;
        this.sampler = sampler;
        this.timer = timer;
    }

    @Override
    public WorkerHello hello() {
        return new WorkerHello(identity.app(), identity.secret(), identity.workerId(), identity.host(),
            identity.version(), processorNames, runner.maxTasks(), runner.running(), identity.tags(), true);
    }

    @Override
    public synchronized void onAccepted(Connection connection, HelloAccepted accepted) {
        spool.rewind();
        outbox.rewind();
        maps.rewind();
        long interval = accepted.heartbeatIntervalMs() > 0 ? accepted.heartbeatIntervalMs() : DEFAULT_HEARTBEAT_MS;
        cancelHeartbeat();
        heartbeat = timer.scheduleAtFixedRate(() -> beat(connection), interval, interval, TimeUnit.MILLISECONDS);
        pump.wake();
    }

    @Override
    public void onMessage(Message message) {
        if (message instanceof DispatchTask d) {
            runner.dispatch(d);
        } else if (message instanceof StopTask s) {
            runner.stop(s);
        } else if (message instanceof ResultsPage page) {
            results.answered(page);
        } else if (message instanceof MapAccepted answer) {
            maps.answered(answer);
        } else if (message instanceof Ack a) {
            TaskRef ref = new TaskRef(a.taskId(), a.attempt());
            if (a.kind() == Ack.AckKind.REPORT) {
                outbox.ack(ref, a.seq());
            } else {
                spool.ack(ref, a.seq());
            }
        } else {
            LOG.warn("Ignoring unexpected {} on the worker channel", message.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void onDisconnected() {
        cancelHeartbeat();
    }

    private void beat(Connection connection) {
        try {
            connection.send(sampler.sample(runner.busySlots(), runner.maxTasks()));
        } catch (RuntimeException e) {
            LOG.warn("Sending a heartbeat failed; will try again", e);
        }
    }

    private void cancelHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }
}
