package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.MapAccepted;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.ResultsRequest;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHeartbeat;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.job.JobSpecs;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.Database;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.LeaseStore;
import dev.gnomon.server.store.RefusedReportStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import dev.gnomon.server.store.WorkerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owner's dispatch on an H2 database, with workers that are fake channels recording what
 * they were sent, and a clock the test moves. Nothing runs in the background: a test calls
 * {@link #pass()}, {@link #report} and {@link #sweep()} itself, in the order it wants.
 */
final class DispatchFixture implements AutoCloseable {

    static final String PROCESSOR = "p";
    static final Duration LOST_AFTER = Duration.ofSeconds(30);
    private static final long MIB = 1024L * 1024;

    final Database db;
    final JobStore jobs;
    final InstanceStore instances;
    final TaskStore tasks;
    final WorkerRegistry registry = new WorkerRegistry();
    final long appId;
    final LeaseKeeper leases;
    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Dispatcher dispatcher;
    private final ReportHandler reports;
    private final Clock clock;
    private final CompletionListener completions;
    /** What the report handler does when a task's end frees a worker slot (the server queues a pass). */
    volatile Runnable slotFreed = () -> { };
    /** What the watchdog does once it ended attempts (the server queues a pass). */
    volatile Runnable watchdogEnded = () -> { };
    private final Watchdog watchdog;
    private final InstanceCommands commands;
    private final MapIngest maps;
    private final Map<String, List<DispatchTask>> sent = new ConcurrentHashMap<>();
    private final Map<String, List<StopTask>> stops = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    /** Instances the owner reported as ended, in order. */
    final List<Long> ended = new CopyOnWriteArrayList<>();

    DispatchFixture(long seed) {
        db = Database.open("jdbc:h2:mem:dispatch-" + UUID.randomUUID() + "", "", "", 4);
        AppStore apps = new AppStore(db);
        jobs = new JobStore(db);
        instances = new InstanceStore(db);
        tasks = new TaskStore(db);
        clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
        appId = apps.create("modes", null, "hash", millis.get()).id();
        leases = new LeaseKeeper(new LeaseStore(db), "s1", Duration.ofMinutes(5), System::nanoTime,
            id -> Optional.of("s1"));
        leases.run();
        completions = (app, job, instance, at) -> ended.add(instance);
        dispatcher = new Dispatcher(instances, tasks, jobs, leases, registry, new Random(seed), clock,
            Duration.ofMinutes(10), completions);
        reports = new ReportHandler(instances, tasks, jobs, new RefusedReportStore(db), leases, clock, completions,
            () -> slotFreed.run());
        watchdog = new Watchdog(instances, tasks, jobs, new WorkerStore(db), leases, registry, clock, nanos::get,
            Duration.ofSeconds(15), LOST_AFTER, Duration.ofSeconds(10), completions, () -> watchdogEnded.run());
        maps = new MapIngest(instances, tasks, jobs, leases);
        commands = new InstanceCommands(instances, tasks, jobs, leases, registry, clock, completions);
    }

    /** A connected worker offering {@link #PROCESSOR}, with these tags and slots. */
    WorkerSession worker(String id, int maxTasks, String... tags) {
        WorkerLink link = recordingLink(id);
        WorkerSession session = new WorkerSession(appId, id, Set.of(PROCESSOR, "post"), Set.of(tags), maxTasks, link,
            nanos.get());
        registry.connected(session);
        return session;
    }

    /** The worker's heartbeat: CPU load and heap in MiB. */
    void heartbeat(String id, double cpuLoad, long usedMb, long maxMb, int running) {
        WorkerSession s = registry.session(appId, id).orElseThrow();
        s.metrics(new WorkerHeartbeat(Instant.ofEpochMilli(millis.get()), cpuLoad, 2, usedMb * MIB, maxMb * MIB,
            running, s.maxTasks()));
    }

    /** Moves time on without the connected workers heartbeating. */
    void advanceSilently(Duration d) {
        millis.addAndGet(d.toMillis());
        nanos.addAndGet(d.toNanos());
    }

    /** The worker's channel closes; it is lost once {@link #LOST_AFTER} passes and {@link #sweep()} runs. */
    void disconnect(String id) {
        registry.disconnected(registry.session(appId, id).orElseThrow(), nanos.get());
    }

    JobRow job(JobRequest req) {
        long now = millis.get();
        return jobs.create(JobSpecs.toRow(req, 0, appId, now, now));
    }

    static JobRequest request(String name) {
        return new JobRequest("modes", name, null, true, PROCESSOR, "job-params", ScheduleSpec.api(), null, 10, null,
            null, null);
    }

    long run(JobRow job) {
        return commands.run(job.id(), "run-params", TriggerKind.API, null);
    }

    /** A run-now call through the owner's commands, as the API makes it. */
    InstanceCommands.Made runNow(JobRow job, List<String> params) {
        return commands.runNow(job.id(), params, TriggerKind.API, null);
    }

    /** The lease this server holds on the app. */
    Fence fence() {
        return leases.fence(appId).orElseThrow();
    }

    void stop(long instanceId) {
        commands.stop(instanceId);
    }

    /** One full pass; whether it may have left instances behind that the workers have room for. */
    boolean pass() {
        return dispatcher.pass();
    }

    /** One pass as an event queues it: waiting tasks read from where the last pass left them. */
    boolean eventPass() {
        return dispatcher.pass(false);
    }

    /** The pass as the owner's loop runs it: one that may have left instances behind queues the next. */
    DispatchPass pass(DispatchLoop loop) {
        return new DispatchPass(dispatcher, loop);
    }

    /** Starts run-now instances at once, as the owner's commands do, taking {@code loop}'s turn. */
    RunNowStart runNowStart(DispatchLoop loop) {
        return dispatcher.runNowStart(loop);
    }

    void sweep() {
        watchdog.sweep();
    }

    /** Moves time on; the workers still connected heartbeat meanwhile. */
    void advance(Duration d) {
        millis.addAndGet(d.toMillis());
        nanos.addAndGet(d.toNanos());
        registry.sessions().forEach(s -> s.touch(nanos.get()));
    }

    /** What the worker was sent, in order. */
    List<DispatchTask> sent(String worker) {
        return List.copyOf(sent.get(worker));
    }

    /** The stop signals the worker was sent, in order. */
    List<StopTask> stops(String worker) {
        return List.copyOf(stops.getOrDefault(worker, List.of()));
    }

    /** The tasks sent to these workers, worker after worker. */
    List<DispatchTask> sent(String first, String... more) {
        List<DispatchTask> out = new ArrayList<>(sent(first));
        for (String w : more) {
            out.addAll(sent(w));
        }
        return out;
    }

    /** Holds the loop (at most 10 s) until the returned latch is counted down; steps queued meanwhile wait. */
    static CountDownLatch hold(DispatchLoop loop) {
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute("held", () -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return hold;
    }

    /** Workers in the order they were sent tasks of the instance. */
    List<String> workersOf(long instanceId) {
        List<String> out = new ArrayList<>();
        tasks.ofInstance(instanceId).stream().filter(t -> t.workerId() != null)
            .sorted(java.util.Comparator.comparing(TaskRow::dispatchedAt, java.util.Comparator.nullsLast(
                java.util.Comparator.naturalOrder())).thenComparing(TaskRow::id))
            .forEach(t -> out.add(t.workerId()));
        return out;
    }

    /** The worker reports the task started then ended with {@code phase}. */
    void finish(String worker, DispatchTask task, TaskPhase phase, String message) {
        WorkerSession s = registry.session(appId, worker).orElseThrow();
        reports.apply(s, new TaskReport(task.taskId(), task.attempt(), seq.incrementAndGet(), TaskPhase.STARTED, null,
            Instant.ofEpochMilli(millis.get())));
        reports.apply(s, new TaskReport(task.taskId(), task.attempt(), seq.incrementAndGet(), phase, message,
            Instant.ofEpochMilli(millis.get())));
    }

    /**
     * The owner's worker channel handling on {@code loop}, wired to this fixture's stores,
     * dispatcher and watchdog; its passes run {@link #pass()}.
     */
    WorkerHub hub(DispatchLoop loop) {
        return new WorkerHub(registry, new WorkerStore(db), tasks, loop, dispatcher::pass, reports, watchdog,
            new LogIngest(new dev.gnomon.server.store.LogStore(db)), maps, new ResultPages(tasks), Clock.systemUTC(),
            nanos::get, "s1", Duration.ofSeconds(5), LOST_AFTER);
    }

    /** A link that records the tasks sent on it, for a worker connected through {@link #hub}. */
    WorkerLink recordingLink(String id) {
        sent.put(id, new CopyOnWriteArrayList<>());
        return new WorkerLink() {
            @Override
            public boolean send(Message message) {
                if (message instanceof DispatchTask d) {
                    sent.get(id).add(d);
                } else if (message instanceof StopTask stop) {
                    stops.computeIfAbsent(id, w -> new CopyOnWriteArrayList<>()).add(stop);
                }
                return true;
            }

            @Override
            public void close(String reason) {
            }

            @Override
            public String remoteAddress() {
                return id + ":1";
            }
        };
    }

    /** Queues a report of the worker without applying it; {@link #drainReports()} applies the queue as batches. */
    void queue(String worker, DispatchTask task, long reportSeq, TaskPhase phase, String message) {
        reports.enqueue(registry.session(appId, worker).orElseThrow(), new TaskReport(task.taskId(), task.attempt(),
            reportSeq, phase, message, Instant.ofEpochMilli(millis.get())));
    }

    /** Applies the queued reports, as the owner's loop does. */
    void drainReports() {
        reports.drain();
    }

    /** The worker reports the task ended, with no start report before it (a short task's lone report). */
    void endAlone(String worker, DispatchTask task, TaskPhase phase, String message) {
        reports.apply(registry.session(appId, worker).orElseThrow(), new TaskReport(task.taskId(), task.attempt(),
            seq.incrementAndGet(), phase, message, Instant.ofEpochMilli(millis.get())));
    }

    /** The worker refuses the task without running it. */
    void refuse(String worker, DispatchTask task, String message) {
        reports.apply(registry.session(appId, worker).orElseThrow(), new TaskReport(task.taskId(), task.attempt(),
            seq.incrementAndGet(), TaskPhase.REFUSED, message, Instant.ofEpochMilli(millis.get())));
    }

    /** The worker reports the task started. */
    void started(String worker, DispatchTask task) {
        reports.apply(registry.session(appId, worker).orElseThrow(), new TaskReport(task.taskId(), task.attempt(),
            seq.incrementAndGet(), TaskPhase.STARTED, null, Instant.ofEpochMilli(millis.get())));
    }

    /**
     * The owner's lane for the reports of map sub-tasks, its steps for the loop queued on
     * {@code loop}; the reports it passes on and where it had the loop read each app from are recorded.
     */
    SubTaskReports subTaskReports(DispatchLoop loop, List<TaskReport> passedOn, Map<Long, Long> readFrom) {
        return new SubTaskReports(instances, tasks, jobs, leases, clock, reports, loop, (s, r) -> passedOn.add(r),
            (app, id) -> {
                readFrom.put(app, id);
                dispatcher.readWaitingFrom(app, id);
            }, completions, () -> slotFreed.run());
    }

    /** The owner's next passes read this app's waiting tasks from {@code id} on, as {@link SubTaskReports} has them. */
    void readWaitingFrom(long id) {
        dispatcher.readWaitingFrom(appId, id);
    }

    /** A report of the worker on {@code task}, with the next sequence number. */
    TaskReport report(DispatchTask task, TaskPhase phase, String message) {
        return new TaskReport(task.taskId(), task.attempt(), seq.incrementAndGet(), phase, message,
            Instant.ofEpochMilli(millis.get()));
    }

    /** The worker running {@code task} emits a batch of sub-tasks; the server's answer. */
    MapAccepted map(DispatchTask task, long seq, String name, long firstIndex, List<String> items) {
        return maps.apply(new MapTasks(task.taskId(), task.attempt(), seq, name, firstIndex, items)).orElseThrow();
    }

    /** The reduce step on the worker asks for a page of results. */
    ResultsPage results(DispatchTask task, long afterId, int limit) {
        return new ResultPages(tasks).page(new ResultsRequest(task.taskId(), task.attempt(), afterId, limit));
    }

    InstanceRow instance(long id) {
        return instances.get(id);
    }

    @Override
    public void close() {
        db.close();
    }
}
