package dev.gnomon.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** The PostgreSQL every run uses: one database of the harness's own, made afresh for each run. */
final class Pg {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String ADMIN_DB = "test";
    /** The database the runs use unless {@code --db} names another. */
    static final String DEFAULT_DB = "gnomon_bench";
    static final String USER = "postgres";

    private Pg() {
    }

    /** The database this run uses, dropped and made afresh by each run: {@link #DEFAULT_DB} or {@code --db}. */
    static volatile String db = DEFAULT_DB;

    static String url() {
        return SERVER + db;
    }

    /** When set, the server and the peers reach the bench database through this statement counter. */
    static volatile PgWire wire;

    /** The URL the systems under test use: through {@link #wire} when one is set, otherwise {@link #url()}. */
    static String systemUrl() {
        PgWire w = wire;
        return w == null ? url() : w.url();
    }

    /** Statements counted by {@link #wire} so far, or -1 when none is set. */
    static long statements() {
        PgWire w = wire;
        return w == null ? -1 : w.statements();
    }

    /** Round trips counted by {@link #wire} so far, or -1 when none is set. */
    static long roundTrips() {
        PgWire w = wire;
        return w == null ? -1 : w.roundTrips();
    }

    /**
     * Checks a {@code --db} name: a plain lower-case identifier, and not a database the harness
     * must never drop (the admin database it connects to, the log bench's own).
     */
    static String checkedName(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("--db '" + name + "' is not a plain database name; use lower-case"
                + " letters, digits and '_', such as gnomon_mine");
        }
        if (name.equals(ADMIN_DB) || name.equals(LogBench.DB) || name.equals("postgres")) {
            throw new IllegalArgumentException("--db '" + name + "' names a database the harness must not drop"
                + " (each run drops and creates its database); choose another name");
        }
        return name;
    }

    /** Runs a query answering one number on the harness's own connection (one auto-commit transaction). */
    static long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The harness's own connection, never through {@link #wire}. */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** Drops and creates the bench database, so each run starts from empty tables and zeroed counters. */
    static void recreate() throws SQLException {
        recreate(db);
    }

    /** Drops and creates the database {@code name} (a name of the harness's own). */
    static void recreate(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + ADMIN_DB, USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** What makes the figures comparable from one machine to another: durability and version. */
    static Map<String, String> settings() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(SERVER + ADMIN_DB, USER, "");
             Statement s = c.createStatement()) {
            for (String name : new String[] {"server_version", "fsync", "synchronous_commit", "full_page_writes",
                "wal_sync_method", "shared_buffers", "max_connections", "shared_preload_libraries", "autovacuum"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    out.put(name, rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Counters of the bench database in pg_stat_database. */
    record Counters(long commits, long rollbacks, long inserted, long updated, long deleted, long returned) {
        Counters minus(Counters o) {
            return new Counters(commits - o.commits, rollbacks - o.rollbacks, inserted - o.inserted,
                updated - o.updated, deleted - o.deleted, returned - o.returned);
        }

        long written() {
            return inserted + updated + deleted;
        }
    }

    /**
     * Reads the counters. PostgreSQL 15 flushes a backend's counts at most once a second while it
     * works and after 10 s when it idles, so callers wait {@link #FLUSH_WAIT_MS} (or close the
     * pools) before they read; the read itself is one transaction, counted by the caller.
     */
    static Counters counters() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated,"
                 + " tup_deleted, tup_returned FROM pg_stat_database WHERE datname = '" + db + "'")) {
            rs.next();
            return new Counters(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6));
        }
    }

    static final long FLUSH_WAIT_MS = 11_000;

    static HikariDataSource pool(String name, int size, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(systemUrl());
        config.setUsername(USER);
        config.setMaximumPoolSize(size);
        config.setAutoCommit(autoCommit);
        return new HikariDataSource(config);
    }
}
