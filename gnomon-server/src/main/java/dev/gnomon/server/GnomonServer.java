package dev.gnomon.server;

import dev.gnomon.protocol.Endpoint;
import dev.gnomon.server.api.ApiRoutes;
import dev.gnomon.server.api.ApiServer;
import dev.gnomon.server.api.InternalApi;
import dev.gnomon.server.auth.Secrets;
import dev.gnomon.server.store.ClusterSettingsStore;
import dev.gnomon.server.transport.HttpCommandForwarder;
import dev.gnomon.server.auth.AdminBootstrap;
import dev.gnomon.server.auth.AdminPassword;
import dev.gnomon.server.auth.Authenticator;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.cluster.Membership;
import dev.gnomon.server.cluster.BalancedOwnership;
import dev.gnomon.server.config.ServerConfig;
import dev.gnomon.server.config.Settings;
import dev.gnomon.server.dispatch.Commands;
import dev.gnomon.server.dispatch.CompletionListener;
import dev.gnomon.server.dispatch.DispatchLoop;
import dev.gnomon.server.dispatch.DispatchPass;
import dev.gnomon.server.dispatch.Dispatcher;
import dev.gnomon.server.dispatch.InstanceCommands;
import dev.gnomon.server.dispatch.LogIngest;
import dev.gnomon.server.dispatch.MapIngest;
import dev.gnomon.server.dispatch.ReportHandler;
import dev.gnomon.server.dispatch.SubTaskReports;
import dev.gnomon.server.dispatch.ResultPages;
import dev.gnomon.server.dispatch.Watchdog;
import dev.gnomon.server.dispatch.WorkerGate;
import dev.gnomon.server.dispatch.WorkerHub;
import dev.gnomon.server.dispatch.WorkerRegistry;
import dev.gnomon.server.dispatch.RunKeyExpiry;
import dev.gnomon.server.log.LogRetention;
import dev.gnomon.server.log.LogTail;
import dev.gnomon.server.schedule.ScheduleLoop;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.Database;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobStore;
import dev.gnomon.server.store.LeaseStore;
import dev.gnomon.server.store.LogStore;
import dev.gnomon.server.store.RefusedReportStore;
import dev.gnomon.server.store.ServerStore;
import dev.gnomon.server.store.TaskStore;
import dev.gnomon.server.store.UserStore;
import dev.gnomon.server.store.WorkerStore;
import dev.gnomon.server.transport.HttpWorkerChannel;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Gnomon server: schedules, dispatches and serves the API. {@link #builder()} takes the
 * configuration; {@link Builder#build()} is the one place where the parts are wired.
 */
public final class GnomonServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GnomonServer.class);
    /** How often a server forgets run calls' idempotency keys past their retention. */
    private static final Duration RUN_KEY_SWEEP = Duration.ofMinutes(1);
    /** How often the loop looks for map instances whose tasks all ended without their next step taken. */
    private static final Duration STUCK_SWEEP = Duration.ofSeconds(5);

    private final Database db;
    private final Javalin http;
    private final LeaseKeeper leases;
    private final Membership membership;
    private final ScheduleLoop schedules;
    private final DispatchLoop loop;
    /** Stops the threads that store logs, sweep old logs and read results for workers. */
    private final Runnable closeIngest;
    private final ScheduledExecutorService cluster;
    private final String serverId;
    private final Optional<String> generatedAdminPassword;
    private volatile boolean closed;

    private GnomonServer(Database db, Javalin http, LeaseKeeper leases, Membership membership, ScheduleLoop schedules,
                         DispatchLoop loop, Runnable closeIngest, ScheduledExecutorService cluster, String serverId,
                         Optional<String> generatedAdminPassword) {
        this.db = db;
        this.http = http;
        this.leases = leases;
        this.membership = membership;
        this.schedules = schedules;
        this.loop = loop;
        this.closeIngest = closeIngest;
        this.cluster = cluster;
        this.serverId = serverId;
        this.generatedAdminPassword = generatedAdminPassword;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The HTTP port the server listens on. */
    public int port() {
        return http.port();
    }

    public String serverId() {
        return serverId;
    }

    /** The admin password made at this first start, if one was made. */
    public Optional<String> generatedAdminPassword() {
        return generatedAdminPassword;
    }

    public Database database() {
        return db;
    }

    /** Stops serving, gives up this server's leases so another can take over at once, and closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("server {} stopping", serverId);
        cluster.shutdownNow();
        schedules.close();
        http.stop();
        loop.close();
        closeIngest.run();
        leases.releaseAll();
        membership.leave();
        db.close();
    }

    /** Collects the settings; {@link #build()} starts the server. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;

        public Builder config(ServerConfig config) {
            this.config = config;
            return this;
        }

        /** The clock for time stamps and schedules; tests pass a settable one. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /** Opens the database, wires every part, starts the HTTP endpoint and the loops. */
        public GnomonServer build() {
            AdminPassword admin = AdminPassword.of(config.adminPassword());
            if (config.newEmbeddedDatabase()) {
                // this start creates the database, so the admin is sure to be missing: hash its
                // password while the migrations run rather than after them
                admin.hashAhead();
            }
            Database db = Database.connect(config);
            // the migrations run on a thread of their own while the parts are made and the HTTP
            // endpoint starts, which answers API calls and workers with 503 until the server is ready
            CompletableFuture<Void> schema = CompletableFuture.runAsync(db::migrate, daemon("gnomon-migrate"));
            try {
                return wire(db, admin, schema);
            } catch (RuntimeException e) {
                // let the migrations end before their pool closes
                schema.exceptionally(failed -> null).join();
                db.close();
                throw e;
            }
        }

        private static Executor daemon(String name) {
            return task -> {
                Thread t = new Thread(task, name);
                t.setDaemon(true);
                t.start();
            };
        }

        private GnomonServer wire(Database db, AdminPassword admin, CompletableFuture<Void> schema) {
            String serverId = ServerIds.resolve(config.get(Settings.SERVER_ID), config.dataDir(),
                db.dialect() == dev.gnomon.server.store.Dialect.H2 && config.get(Settings.DB_URL).isBlank());
            AppStore apps = new AppStore(db);
            JobStore jobs = new JobStore(db);
            InstanceStore instances = new InstanceStore(db);
            TaskStore tasks = new TaskStore(db);
            LogStore logs = new LogStore(db, clock);
            WorkerStore workerStore = new WorkerStore(db);
            UserStore users = new UserStore(db);
            LeaseStore leaseStore = new LeaseStore(db);
            ServerStore servers = new ServerStore(db);
            // the first start hashes the admin password (a deliberately slow PBKDF2 run) once
            // migrated, while the HTTP endpoint starts, unless it started before the migrations;
            // the server is ready only once it is stored
            CompletableFuture<Optional<String>> adminPassword = schema.thenApplyAsync(
                migrated -> AdminBootstrap.ensureAdmin(users, admin, config.dataDir(), clock.millis()),
                task -> new Thread(task, "gnomon-admin-bootstrap").start());

            LeaseKeeper leases = new LeaseKeeper(leaseStore, serverId, config.leaseDuration(), nanoTime,
                new BalancedOwnership(servers, apps, serverId, config.get(Settings.SERVER_TIMEOUT)));
            DispatchLoop loop = new DispatchLoop();
            WorkerRegistry registry = new WorkerRegistry();
            Duration heartbeat = config.get(Settings.HEARTBEAT);
            // the dispatcher reports instances it ends to the listener made below, which needs its pass
            CompletionListener[] ended = new CompletionListener[1];
            Dispatcher dispatcher = new Dispatcher(instances, tasks, jobs, leases, registry, clock,
                config.get(Settings.WORKER_WAIT), (appId, jobId, instanceId, at) ->
                    ended[0].instanceEnded(appId, jobId, instanceId, at));
            Runnable pass = new DispatchPass(dispatcher, loop);
            ScheduleLoop schedules = new ScheduleLoop(jobs, instances, leases, clock,
                config.get(Settings.SCHEDULE_WINDOW), config.get(Settings.MISFIRE_THRESHOLD), () -> loop.coalesce(pass));
            leases.addListener(schedules);
            CompletionListener completions = (appId, jobId, instanceId, at) -> {
                schedules.instanceEnded(appId, jobId, instanceId, at);
                loop.coalesce(pass);
            };
            ended[0] = completions;
            RefusedReportStore refused = new RefusedReportStore(db);
            ReportHandler reports = new ReportHandler(instances, tasks, jobs, refused, leases, clock,
                completions, () -> loop.coalesce(pass));
            Watchdog watchdog = new Watchdog(instances, tasks, jobs, workerStore, leases, registry, clock, nanoTime,
                config.get(Settings.SUSPECT_AFTER), config.get(Settings.LOST_AFTER),
                config.get(Settings.TIMEOUT_GRACE), completions, () -> loop.coalesce(pass));
            LogIngest logIngest = new LogIngest(logs);
            ResultPages resultPages = new ResultPages(tasks);
            WorkerHub hub = new WorkerHub(registry, workerStore, tasks, loop, pass, reports, watchdog, logIngest,
                new MapIngest(instances, tasks, jobs, leases), resultPages, clock,
                nanoTime, serverId, heartbeat, config.get(Settings.LOST_AFTER));
            leases.addListener(hub);
            SubTaskReports subTaskReports = new SubTaskReports(instances, tasks, jobs, leases, clock, reports, loop,
                hub::applyOnLoop, dispatcher::readWaitingFrom, completions, () -> loop.coalesce(pass));
            hub.reportSubTasksTo(subTaskReports);
            WorkerGate gate = new WorkerGate(apps, leases, leaseStore, servers, hub, heartbeat);
            CompletableFuture<String> clusterSecret = config.get(Settings.CLUSTER_SECRET).isBlank()
                ? schema.thenApply(migrated ->
                    new ClusterSettingsStore(db).getOrCreate("cluster-secret", () -> Secrets.token("gnc_")))
                : CompletableFuture.completedFuture(config.get(Settings.CLUSTER_SECRET));
            Commands commands = new Commands(loop, new InstanceCommands(instances, tasks, jobs, leases, registry, clock,
                completions), dispatcher, pass, leases, leaseStore, apps,
                new HttpCommandForwarder(servers, clusterSecret::join, config.leaseDuration()));
            Metrics metrics = new Metrics(registry, leases, logIngest);
            ScheduledExecutorService cluster = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gnomon-cluster");
                t.setDaemon(true);
                return t;
            });

            var routes = ApiRoutes.all(new ApiRoutes.Deps(apps, jobs, instances, tasks, logs, workerStore, users, schedules,
                commands, clock, () -> cluster.execute(leases), servers, leaseStore, db,
                config.get(Settings.SERVER_TIMEOUT), refused, new LogTail(logs, instances,
                config.get(Settings.LOG_TAIL_POLL), config.get(Settings.LOG_TAIL_GRACE), clock, nanoTime)));
            AtomicBoolean ready = new AtomicBoolean();
            Javalin http = ApiServer.start(new ApiServer.Parts(routes, new InternalApi(commands, clusterSecret::join),
                new HttpWorkerChannel(gate, hub, config.get(Settings.LOST_AFTER).plusSeconds(10)),
                new Authenticator(users, clock), ready::get, metrics::scrape, Version.current(),
                config.get(Settings.HTTP_HOST), config.httpPort(), config.get(Settings.MAX_BODY)));

            Optional<String> madePassword;
            try {
                schema.join();
                clusterSecret.join();
                madePassword = adminPassword.join();
            } catch (CompletionException e) {
                http.stop();
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            Membership membership = new Membership(servers, serverId, Version.current(),
                List.of(new Endpoint(Endpoint.HTTP, config.get(Settings.ADVERTISED_HOST), http.port())));
            membership.register();
            gate.ownEndpoints(membership.endpoints());
            leases.run();
            long renewMs = config.get(Settings.LEASE_RENEW).toMillis();
            cluster.scheduleWithFixedDelay(leases, renewMs, renewMs, TimeUnit.MILLISECONDS);
            long beatMs = config.get(Settings.SERVER_HEARTBEAT).toMillis();
            cluster.scheduleWithFixedDelay(membership, beatMs, beatMs, TimeUnit.MILLISECONDS);
            LogRetention retention = new LogRetention(logs, clock, config.get(Settings.LOG_RETENTION),
                config.get(Settings.LOG_MAX_SIZE)).start(config.get(Settings.LOG_SWEEP_INTERVAL))
                .alsoEvery(RUN_KEY_SWEEP, new RunKeyExpiry(instances, clock, config.get(Settings.RUN_KEY_RETENTION)));
            schedules.start();
            loop.every(Duration.ofSeconds(1), "watchdog sweep", watchdog::sweep);
            loop.every(Duration.ofSeconds(1), "dispatch pass", new DispatchPass(dispatcher, loop, true));
            loop.every(STUCK_SWEEP, "settle map instances", subTaskReports::settleStuck);
            ready.set(true);
            LOG.info("server {} ready on port {} (owns {} apps)", serverId, http.port(), leases.owned().size());
            Runnable closeIngest = () -> {
                logIngest.close();
                retention.close();
                resultPages.close();
                subTaskReports.close();
            };
            return new GnomonServer(db, http, leases, membership, schedules, loop, closeIngest, cluster, serverId,
                madePassword);
        }
    }
}
