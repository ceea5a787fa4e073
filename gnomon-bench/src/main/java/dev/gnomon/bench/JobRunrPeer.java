package dev.gnomon.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * JobRunr with its PostgreSQL storage provider, a background job server of {@link #WORKERS} workers and the
 * shortest poll interval it accepts on a SQL store. Public because JobRunr calls {@link #noop} by reflection.
 */
public final class JobRunrPeer implements Peer {

    static final int WORKERS = 20;
    /** JobRunr refuses anything shorter on a SQL store ("otherwise it will cause too much load"). */
    static final Duration POLL = Duration.ofSeconds(5);
    /** M5 waits up to one poll per trigger, so fewer triggers keep the run's length near the others'. */
    static final int IDLE_SAMPLES = 20;

    private HikariDataSource pool;
    private BackgroundJobServer server;

    /** The job: JobRunr records the call {@code noop(id)} and replays it on a worker. */
    public static void noop(String id) {
        Peer.started(id);
    }

    @Override
    public String name() {
        return "JobRunr";
    }

    @Override
    public String settings() {
        return "JobRunr " + Versions.of("org.jobrunr", "jobrunr") + ": `PostgresStorageProvider` (creates its own"
            + " tables), `usingStandardBackgroundJobServerConfiguration().andWorkerCount(" + WORKERS + ")"
            + ".andPollInterval(" + POLL.toSeconds() + " s)` (default 15 s; 5 s is the smallest JobRunr accepts on a"
            + " SQL store), HikariCP pool of " + (WORKERS + 4) + " connections; jobs are `BackgroundJob.enqueue(() ->"
            + " noop(id))` when due now, `BackgroundJob.schedule(at, …)` otherwise, batches"
            + " `BackgroundJob.enqueue(stream, id -> noop(id))`; M5 takes " + IDLE_SAMPLES + " triggers per run, each after a"
            + " random wait of 0.2-5.2 s so that triggers fall at any point of the poll";
    }

    @Override
    public void setUp() {
        pool = Pg.pool("jobrunr", WORKERS + 4, true);
        JobRunr.configure()
            .useStorageProvider(new PostgresStorageProvider(pool))
            .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andWorkerCount(WORKERS)
                .andPollInterval(POLL), false)
            .initialize();
        server = JobRunr.getBackgroundJobServer();
    }

    @Override
    public void submit(String id, Instant at) {
        if (at.isAfter(Instant.now())) {
            BackgroundJob.schedule(at, () -> noop(id));
        } else {
            BackgroundJob.enqueue(() -> noop(id));
        }
    }

    @Override
    public boolean submitBatch(List<String> ids) {
        BackgroundJob.enqueue(ids.stream(), id -> noop(id));
        return true;
    }

    @Override
    public int idleSamples(int asked) {
        return Math.min(asked, IDLE_SAMPLES);
    }

    @Override
    public long idleGapMillis() {
        return 200 + ThreadLocalRandom.current().nextLong(POLL.toMillis());
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void stop() {
        if (server != null && server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public long pending() throws Exception {
        return Pg.count("SELECT COUNT(*) FROM jobrunr_jobs WHERE state <> 'SUCCEEDED'");
    }

    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        stop();
        JobRunr.destroy();
        pool.close();
    }
}
