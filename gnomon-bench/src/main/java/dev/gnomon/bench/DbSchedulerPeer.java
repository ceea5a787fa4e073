package dev.gnomon.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** db-scheduler with the lock-and-fetch polling strategy its README advises above 1,000 executions/s. */
final class DbSchedulerPeer implements Peer {

    static final int THREADS = 20;

    private final OneTimeTask<Void> task = Tasks.oneTime("noop").execute((inst, ctx) -> Peer.started(inst.getId()));
    private HikariDataSource pool;
    private SchedulerClient client;
    private Scheduler scheduler;

    @Override
    public String name() {
        return "db-scheduler";
    }

    @Override
    public String settings() {
        return "db-scheduler " + Versions.of("com.github.kagkarlsson", "db-scheduler") + ": `threads(" + THREADS
            + ")`, `pollUsingLockAndFetch(1.0, 4.0)` (README, \"Polling strategy\": lock-and-fetch above 1,000"
            + " executions/s, `1.0, 4.0` for high throughput), `enableImmediateExecution()`, `pollingInterval(100 ms)`"
            + " (default 10 s), the README's PostgreSQL table and indexes, HikariCP pool of " + (THREADS + 4)
            + " connections, auto-commit on";
    }

    @Override
    public void setUp() throws Exception {
        try (Connection c = Pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
                + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE, picked BOOLEAN NOT NULL,"
                + " picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,"
                + " consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,"
                + " priority SMALLINT, state TEXT, PRIMARY KEY (task_name, task_instance))");
            s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
            s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
            s.execute("CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
        }
        pool = Pg.pool("db-scheduler", THREADS + 4, true);
        client = SchedulerClient.Builder.create(pool, task).build();
    }

    @Override
    public void submit(String id, Instant at) {
        // Through the running scheduler when there is one: only then does immediate execution apply.
        (scheduler != null ? scheduler : client).schedule(task.instance(id), at);
    }

    @Override
    public boolean submitBatch(List<String> ids) {
        List<TaskInstance<?>> batch = ids.stream().<TaskInstance<?>>map(task::instance).toList();
        client.scheduleBatch(batch, Instant.now());
        return true;
    }

    @Override
    public void start() {
        scheduler = Scheduler.create(pool, task)
            .threads(THREADS)
            .pollUsingLockAndFetch(1.0, 4.0)
            .enableImmediateExecution()
            .pollingInterval(Duration.ofMillis(100))
            .build();
        scheduler.start();
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
        }
    }

    @Override
    public long pending() throws Exception {
        return Pg.count("SELECT COUNT(*) FROM scheduled_tasks");
    }

    @Override
    public void close() {
        stop();
        if (pool != null) {
            pool.close();
        }
    }
}
