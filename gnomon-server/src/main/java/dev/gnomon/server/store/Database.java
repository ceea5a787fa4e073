package dev.gnomon.server.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.gnomon.server.config.ServerConfig;
import dev.gnomon.server.config.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool, the migrations and the JDBI handle to one database. */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final String url;
    /** Made at the first call of {@link #jdbi()}, so that a server's migrations need not wait for JDBI's set-up. */
    private volatile Jdbi jdbi;

    private Database(HikariDataSource dataSource, Dialect dialect, String url) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.url = url;
    }

    /** Opens the pool and brings the schema up to date. */
    public static Database open(ServerConfig config) {
        return open(config.dbUrl(), config.get(Settings.DB_USER), config.get(Settings.DB_PASSWORD),
            config.get(Settings.DB_POOL));
    }

    public static Database open(String url, String user, String password, int poolSize) {
        Database db = connect(url, user, password, poolSize);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * The pool and the JDBI handle, without a connection yet (the first use opens the pool) and
     * without the migrations: {@link #migrate()} must end before anything else uses the database.
     * A server runs them while its HTTP endpoint starts.
     */
    public static Database connect(ServerConfig config) {
        return connect(config.dbUrl(), config.get(Settings.DB_USER), config.get(Settings.DB_PASSWORD),
            config.get(Settings.DB_POOL));
    }

    public static Database connect(String url, String user, String password, int poolSize) {
        Dialect dialect = Dialect.fromUrl(url);
        // made with the no-argument constructor, the pool starts at the first getConnection(),
        // with the same initialization-fail timeout as when it starts at once
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        if (!user.isBlank()) {
            ds.setUsername(user);
        }
        if (!password.isBlank()) {
            ds.setPassword(password);
        }
        ds.setMaximumPoolSize(poolSize);
        ds.setPoolName("gnomon-db");
        ds.setConnectionTimeout(10_000);
        ds.setInitializationFailTimeout(10_000);
        return new Database(ds, dialect, url);
    }

    /** Brings the schema up to date and prepares the session settings; see {@link #connect}. */
    public void migrate() {
        migrate(dataSource, dialect);
        setUp(dataSource, dialect);
        LOG.info("database ready: {} ({})", redact(url), dialect);
    }

    private static void migrate(DataSource ds, Dialect dialect) {
        Flyway.configure()
            .dataSource(ds)
            .locations("classpath:db/migration")
            .placeholders(dialect.placeholders())
            .load()
            .migrate();
    }

    private static void setUp(DataSource ds, Dialect dialect) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : dialect.setup()) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the " + dialect + " database: " + e.getMessage(), e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }

    public Jdbi jdbi() {
        Jdbi made = jdbi;
        if (made == null) {
            synchronized (this) {
                made = jdbi;
                if (made == null) {
                    made = Jdbi.create(dataSource);
                    // The stores bind every optional filter and let the SQL text pick what it uses; JDBI
                    // would otherwise refuse such a binding when the statement ends up with no parameter.
                    made.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
                    jdbi = made;
                }
            }
        }
        return made;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Milliseconds on the database's clock. */
    public long nowMillis() {
        return jdbi().withHandle(h -> h.createQuery("SELECT " + dialect.nowMillis()).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
