package dev.gnomon.server.config;

import static dev.gnomon.server.config.Parsers.bytes;
import static dev.gnomon.server.config.Parsers.durationAtLeast;
import static dev.gnomon.server.config.Parsers.intBetween;
import static dev.gnomon.server.config.Parsers.text;

import java.time.Duration;
import java.util.List;

/** Every configuration key of the server, with its default. README lists the same keys. */
public final class Settings {

    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration SECOND = Duration.ofSeconds(1);

    public static final Setting<String> DATA_DIR = new Setting<>("gnomon.data-dir", "~/.gnomon", text(),
        "Directory for the embedded H2 database and the initial admin password file");
    public static final Setting<String> SERVER_ID = new Setting<>("gnomon.server.id", "", text(),
        "Name of this server in the cluster; empty: host name and a random suffix, new at each start");
    public static final Setting<String> HTTP_HOST = new Setting<>("gnomon.http.host", "0.0.0.0", text(),
        "Interface the HTTP endpoint (API, console, worker channel) binds to");
    public static final Setting<Integer> HTTP_PORT = new Setting<>("gnomon.http.port", "7700", intBetween(0, 65535),
        "Port of the HTTP endpoint; 0 picks a free port");
    public static final Setting<String> ADVERTISED_HOST = new Setting<>("gnomon.http.advertised-host", "127.0.0.1",
        text(), "Host name other servers and workers use to reach this server (set it behind NAT or in containers)");
    public static final Setting<Long> MAX_BODY = new Setting<>("gnomon.http.max-body-size", "1MB", bytes(),
        "Largest request body the API accepts");
    public static final Setting<String> DB_URL = new Setting<>("gnomon.db.url", "", text(),
        "JDBC URL; empty: embedded H2 in the data directory. jdbc:postgresql://… and jdbc:mariadb://… serve clusters");
    public static final Setting<String> DB_USER = new Setting<>("gnomon.db.user", "", text(), "Database user");
    public static final Setting<String> DB_PASSWORD = new Setting<>("gnomon.db.password", "", text(),
        "Database password");
    public static final Setting<Integer> DB_POOL = new Setting<>("gnomon.db.pool-size", "10", intBetween(2, 500),
        "Connections in the pool");
    public static final Setting<String> ADMIN_PASSWORD = new Setting<>("gnomon.admin.password", "", text(),
        "Password of the admin created at first start; empty: a random one, printed once and written to "
            + "<data-dir>/initial-admin-password");
    public static final Setting<Duration> LEASE_DURATION = new Setting<>("gnomon.lease.duration", "8s",
        durationAtLeast(SECOND), "How long an app lease holds without renewal");
    public static final Setting<Duration> LEASE_RENEW = new Setting<>("gnomon.lease.renew-interval", "1s",
        durationAtLeast(MS_100), "How often a server renews its leases, hands over and takes apps; at most a third"
            + " of the duration");
    public static final Setting<Duration> SERVER_HEARTBEAT = new Setting<>("gnomon.cluster.heartbeat-interval", "2s",
        durationAtLeast(MS_100), "How often a server records that it is alive");
    public static final Setting<Duration> SERVER_TIMEOUT = new Setting<>("gnomon.cluster.server-timeout", "6s",
        durationAtLeast(MS_100), "Heartbeat silence after which a server is gone and its apps are placed on the others");
    public static final Setting<String> CLUSTER_SECRET = new Setting<>("gnomon.cluster.secret", "", text(),
        "Secret servers use to call each other; empty: one made at random and kept in the database, shared by"
            + " every server on it");
    public static final Setting<Duration> HEARTBEAT = new Setting<>("gnomon.worker.heartbeat-interval", "5s",
        durationAtLeast(MS_100), "How often workers send a heartbeat; the server tells each worker when it accepts"
            + " its channel. At most half of suspect-after");
    public static final Setting<Duration> SUSPECT_AFTER = new Setting<>("gnomon.worker.suspect-after", "15s",
        durationAtLeast(MS_100), "Silence after which a worker is SUSPECT (its tasks are left alone; a worker back before lost-after carries"
            + " on as if nothing happened)");
    public static final Setting<Duration> LOST_AFTER = new Setting<>("gnomon.worker.lost-after", "30s",
        durationAtLeast(MS_100), "Silence after which a worker is LOST and its tasks are handled by their retry policy");
    public static final Setting<Duration> SCHEDULE_WINDOW = new Setting<>("gnomon.schedule.window", "10s",
        durationAtLeast(SECOND), "How far ahead the owner loads fire times into memory");
    public static final Setting<Duration> MISFIRE_THRESHOLD = new Setting<>("gnomon.schedule.misfire-threshold",
        "5s", durationAtLeast(MS_100), "A tick later than this is a misfire and follows the job's misfire policy");
    public static final Setting<Duration> WORKER_WAIT = new Setting<>("gnomon.dispatch.worker-wait", "10m",
        durationAtLeast(SECOND), "How long an instance waits for a worker that can run it before it fails");
    public static final Setting<Duration> TIMEOUT_GRACE = new Setting<>("gnomon.dispatch.timeout-grace", "10s",
        durationAtLeast(MS_100), "Past a job's timeout, how long the server waits for the worker to stop the task "
            + "before it ends the attempt itself");
    public static final Setting<Duration> RUN_KEY_RETENTION = new Setting<>("gnomon.run-keys.retention", "24h",
        durationAtLeast(SECOND), "How long a run call's Idempotency-Key is kept: sent again within it, the call answers"
            + " the instances it made; after it, it is a new run");
    public static final Setting<Duration> LOG_RETENTION = new Setting<>("gnomon.log.retention", "30d",
        durationAtLeast(SECOND), "How long task log lines are kept; older chunks are deleted by the log sweep");
    public static final Setting<Long> LOG_MAX_SIZE = new Setting<>("gnomon.log.max-size", "10GB", bytes(),
        "Most compressed log bytes kept in the database; past it the oldest chunks are deleted first");
    public static final Setting<Duration> LOG_SWEEP_INTERVAL = new Setting<>("gnomon.log.sweep-interval", "1m",
        durationAtLeast(SECOND), "How often a server deletes log chunks past the retention or the size limit "
            + "(each round deletes at most 1,000 chunks at a time, and goes on while there is more)");
    public static final Setting<Duration> LOG_TAIL_POLL = new Setting<>("gnomon.log.tail-poll", "250ms",
        durationAtLeast(Duration.ofMillis(10)), "How often a live log stream reads new lines from the database");
    public static final Setting<Duration> LOG_TAIL_GRACE = new Setting<>("gnomon.log.tail-grace", "2s",
        durationAtLeast(Duration.ZERO), "After an instance ended, how long a live log stream waits for lines still"
            + " on their way before it ends");

    public static final List<Setting<?>> ALL = List.of(DATA_DIR, SERVER_ID, HTTP_HOST, HTTP_PORT, ADVERTISED_HOST,
        MAX_BODY, DB_URL, DB_USER, DB_PASSWORD, DB_POOL, ADMIN_PASSWORD, LEASE_DURATION, LEASE_RENEW, SERVER_HEARTBEAT,
        SERVER_TIMEOUT, CLUSTER_SECRET, HEARTBEAT,
        SUSPECT_AFTER, LOST_AFTER, SCHEDULE_WINDOW, MISFIRE_THRESHOLD, WORKER_WAIT, TIMEOUT_GRACE, RUN_KEY_RETENTION,
        LOG_RETENTION, LOG_MAX_SIZE, LOG_SWEEP_INTERVAL, LOG_TAIL_POLL, LOG_TAIL_GRACE);

    private Settings() {
    }
}
