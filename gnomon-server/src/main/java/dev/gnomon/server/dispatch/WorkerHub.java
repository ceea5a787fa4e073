package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.LogBatch;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.ResultsRequest;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHeartbeat;
import dev.gnomon.protocol.WorkerHello;
import dev.gnomon.server.cluster.LeaseListener;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import dev.gnomon.server.store.WorkerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when workers connect, talk and go away; transports call it. It also follows
 * ownership: a new owner waits for the workers of the app's running tasks to come back, and a
 * server that lost an app closes its workers' channels so they go to the new owner.
 */
public final class WorkerHub implements LeaseListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerHub.class);

    private final WorkerRegistry registry;
    private final WorkerStore workerStore;
    private final TaskStore tasks;
    private final DispatchLoop loop;
    private final Runnable dispatchPass;
    private final ReportHandler reports;
    private final Runnable drainReports;
    private final Watchdog watchdog;
    private final LogIngest logs;
    private final MapIngest maps;
    private final ResultPages results;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final String serverId;
    private final Duration reportPatience;
    private final Duration lostAfter;

    public WorkerHub(WorkerRegistry registry, WorkerStore workerStore, TaskStore tasks, DispatchLoop loop,
                     Runnable dispatchPass, ReportHandler reports, Watchdog watchdog, LogIngest logs, MapIngest maps,
                     ResultPages results, Clock clock,
                     LongSupplier nanoTime, String serverId, Duration heartbeat, Duration lostAfter) {
        this.registry = registry;
        this.workerStore = workerStore;
        this.tasks = tasks;
        this.loop = loop;
        this.dispatchPass = dispatchPass;
        this.reports = reports;
        this.drainReports = this::drainReports;
        this.watchdog = watchdog;
        this.logs = logs;
        this.maps = maps;
        this.results = results;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.serverId = serverId;
        this.reportPatience = heartbeat.multipliedBy(3).plusSeconds(5);
        this.lostAfter = lostAfter;
    }

    /** Where the reports of map sub-tasks go, when set; the loop applies every other report. */
    private volatile SubTaskReports subTaskReports;

    /**
     * Sends the reports of map sub-tasks sent on a worker's channel to {@code lane}; the loop applies
     * the others, and any the lane passes back ({@link #applyOnLoop}).
     */
    public void reportSubTasksTo(SubTaskReports lane) {
        this.subTaskReports = lane;
    }

    /** Queues a report for the dispatch loop to apply. */
    public void applyOnLoop(WorkerSession session, TaskReport report) {
        reports.enqueue(session, report);
        loop.coalesce(drainReports);
    }

    /** One batch of reports per step of the loop; what is left goes behind the steps queued meanwhile. */
    private void drainReports() {
        if (reports.drainBatch()) {
            loop.coalesce(drainReports);
        }
    }

    /** Registers an admitted worker and reconciles the tasks the database says it holds. */
    public WorkerSession connected(long appId, WorkerHello hello, WorkerLink link) {
        WorkerSession session = new WorkerSession(appId, hello.workerId(), hello.processors(), hello.tags(),
            hello.maxTasks(), link, nanoTime.getAsLong());
        session.setInFlight(hello.running().size());
        registry.connected(session).ifPresent(old -> old.close("replaced by a new connection of the same worker"));
        workerStore.connected(appId, hello.workerId(), hello.host(), link.remoteAddress(), hello.version(),
            String.join(",", hello.processors()), String.join(",", new java.util.TreeSet<>(hello.tags())), hello.maxTasks(),
            serverId, clock.millis());
        Set<Long> running = new HashSet<>();
        for (TaskRef ref : hello.running()) {
            running.add(ref.taskId());
        }
        loop.execute("reconcile worker " + hello.workerId(), () -> {
            // a pass that ran between the registration above and this step may have sent tasks already
            Set<Long> sentHere = session.reconciling();
            Set<TaskRef> live = new HashSet<>();
            for (TaskRow task : tasks.boundToWorker(appId, hello.workerId())) {
                if (task.state().equals(TaskStore.WAITING)) {
                    watchdog.confirmed(task.id());
                    continue;
                }
                live.add(new TaskRef(task.id(), task.attempt()));
                if (sentHere.contains(task.id())) {
                    continue;
                }
                if (running.contains(task.id())) {
                    watchdog.confirmed(task.id());
                    LOG.info("worker {} still runs task {} (attempt {}): adopted", hello.workerId(), task.id(),
                        task.attempt());
                } else {
                    watchdog.missing(task, session, reportPatience);
                }
            }
            // Stopped, ended or given to another worker while this one was away (a stop sent
            // while it was reconnecting reached nobody): tell it to stop.
            for (TaskRef ref : hello.running()) {
                if (!live.contains(ref)) {
                    LOG.info("worker {} still runs task {} (attempt {}), which is no longer live: stopping it",
                        hello.workerId(), ref.taskId(), ref.attempt());
                    session.send(new StopTask(ref.taskId(), ref.attempt(), StopReason.SUPERSEDED));
                    session.taskEnded();
                }
            }
        });
        LOG.info("worker {} of app {} connected from {} with processors {}", hello.workerId(), appId,
            link.remoteAddress(), hello.processors());
        loop.coalesce(dispatchPass);
        return session;
    }

    /** Running tasks whose worker is not connected here are lost unless it comes back in time. */
    @Override
    public void acquired(long appId, long epoch) {
        loop.execute("reconcile app " + appId, () -> {
            for (TaskRow task : tasks.liveOfApp(appId)) {
                if (registry.session(appId, task.workerId()).isEmpty()) {
                    watchdog.unconfirmed(task.id(), lostAfter);
                }
            }
        });
    }

    @Override
    public void lost(long appId, long epoch) {
        for (WorkerSession s : registry.ofApp(appId)) {
            s.close("this server no longer owns the app; reconnect to find the owner");
        }
        registry.forgetGoneOfApp(appId);
    }

    public void received(WorkerSession session, Message message) {
        session.touch(nanoTime.getAsLong());
        if (message instanceof WorkerHeartbeat hb) {
            session.metrics(hb);
            workerStore.heartbeat(session.appId(), session.workerId(), hb, clock.millis());
        } else if (message instanceof TaskReport report) {
            // the worker knows the task: whatever it says settles it, so it is not lost for silence
            watchdog.confirmed(report.taskId());
            SubTaskReports lane = subTaskReports;
            if (lane != null && session.reportsOnSubTask(report)) {
                lane.enqueue(session, report);
            } else {
                applyOnLoop(session, report);
            }
        } else if (message instanceof LogBatch batch) {
            logs.accept(session, batch);
        } else if (message instanceof ResultsRequest request) {
            results.accept(session, request);
        } else if (message instanceof MapTasks batch) {
            watchdog.confirmed(batch.taskId());
            loop.execute("sub-tasks of task " + batch.taskId(), () -> maps.apply(batch).ifPresent(answer -> {
                session.send(answer);
                if (answer.accepted()) {
                    loop.coalesce(dispatchPass);
                }
            }));
        } else {
            LOG.warn("worker {} sent unexpected {}; ignored", session.workerId(), message.getClass().getSimpleName());
        }
    }

    /**
     * A channel closed. The worker's tasks are left alone: it is SUSPECT only once silent for
     * {@code gnomon.worker.suspect-after} and LOST after {@code gnomon.worker.lost-after}, both
     * counted from when it was last heard (see {@link Watchdog}). The watchdog looks again the
     * moment lost-after has passed, so a dead worker's tasks are retried then, not at the next sweep.
     */
    public void disconnected(WorkerSession session, String reason) {
        registry.disconnected(session, session.lastSeenNanos());
        if (registry.session(session.appId(), session.workerId()).isEmpty()) {
            LOG.info("worker {} disconnected ({}); its tasks are left alone while it reconnects",
                session.workerId(), reason);
            long silentNanos = nanoTime.getAsLong() - session.lastSeenNanos();
            loop.later(lostAfter.minusNanos(silentNanos), "check whether worker " + session.workerId() + " is lost",
                watchdog::checkWorkers);
        }
    }
}
