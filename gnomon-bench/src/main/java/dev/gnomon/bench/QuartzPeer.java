package dev.gnomon.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/** Quartz with the clustered JDBC job store and batch trigger acquisition, as its configuration guide advises. */
final class QuartzPeer implements Peer {

    static final int THREADS = 20;
    static final int BATCH = 100;

    /** The no-op job; Quartz makes one per fire with the public no-argument constructor. */
    public static final class NoopJob implements Job {
        @Override
        public void execute(JobExecutionContext ctx) {
            Peer.started(ctx.getJobDetail().getKey().getName());
        }
    }

    private Scheduler scheduler;

    @Override
    public String name() {
        return "Quartz";
    }

    @Override
    public String settings() {
        return "Quartz " + Versions.of("org.quartz-scheduler", "quartz") + ": `JobStoreTX` with `PostgreSQLDelegate`,"
            + " `isClustered=true`, `threadPool.threadCount=" + THREADS + "`, `batchTriggerAcquisitionMaxCount=" + BATCH
            + "` with `acquireTriggersWithinLock=true` (configuration guide: a larger batch fires many due triggers"
            + " more efficiently, and needs the lock), HikariCP provider with `maxConnections=" + (THREADS + 5)
            + "` (guide: at least threads + 3), the `tables_postgres.sql` shipped in the Quartz jar; one job + one"
            + " simple trigger per instance";
    }

    private static Properties properties() {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "bench");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(BATCH));
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", "bench");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.dataSource.bench.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.bench.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.bench.URL", Pg.systemUrl());
        p.setProperty("org.quartz.dataSource.bench.user", Pg.USER);
        p.setProperty("org.quartz.dataSource.bench.password", "");
        p.setProperty("org.quartz.dataSource.bench.maxConnections", Integer.toString(THREADS + 5));
        return p;
    }

    @Override
    public void setUp() throws Exception {
        String sql;
        try (InputStream in = Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = Pg.connect(); Statement s = c.createStatement()) {
            for (String stmt : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!stmt.isBlank() && !stmt.strip().equalsIgnoreCase("commit")) {
                    s.execute(stmt);
                }
            }
        }
        scheduler = new StdSchedulerFactory(properties()).getScheduler();
    }

    private static JobDetail job(String id) {
        return JobBuilder.newJob(NoopJob.class).withIdentity(id).build();
    }

    private static Trigger trigger(String id, Instant at) {
        return TriggerBuilder.newTrigger().withIdentity(id).startAt(Date.from(at)).build();
    }

    @Override
    public void submit(String id, Instant at) throws Exception {
        scheduler.scheduleJob(job(id), trigger(id, at));
    }

    @Override
    public boolean submitBatch(List<String> ids) throws Exception {
        Map<JobDetail, Set<? extends Trigger>> batch = new LinkedHashMap<>();
        Instant now = Instant.now();
        for (String id : ids) {
            Set<Trigger> t = new HashSet<>();
            t.add(trigger(id, now));
            batch.put(job(id), t);
        }
        scheduler.scheduleJobs(batch, false);
        return true;
    }

    @Override
    public void start() throws Exception {
        scheduler.start();
    }

    @Override
    public void stop() throws Exception {
        scheduler.standby();
    }

    @Override
    public long pending() throws Exception {
        return Pg.count("SELECT (SELECT COUNT(*) FROM qrtz_triggers) + (SELECT COUNT(*) FROM qrtz_fired_triggers)");
    }

    @Override
    public void close() throws Exception {
        if (scheduler != null) {
            scheduler.shutdown(true);
        }
    }
}
