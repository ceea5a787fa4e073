package dev.gnomon.server.store;

import com.zaxxer.hikari.HikariConfig;
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
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        // The stores bind every optional filter and let the SQL text pick what it uses; JDBI
        // would otherwise refuse such a binding when the statement ends up with no parameter.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    }

    /** Opens the pool and brings the schema up to date. */
    public static Database open(ServerConfig config) {
        return open(config.dbUrl(), config.get(Settings.DB_USER), config.get(Settings.DB_PASSWORD),
            config.get(Settings.DB_POOL));
    }

    public static Database open(String url, String user, String password, int poolSize) {
        Dialect dialect = Dialect.fromUrl(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (!user.isBlank()) {
            hikari.setUsername(user);
        }
        if (!password.isBlank()) {
            hikari.setPassword(password);
        }
        hikari.setMaximumPoolSize(poolSize);
        hikari.setPoolName("gnomon-db");
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(hikari);
        try {
            migrate(ds, dialect);
            setUp(ds, dialect);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        LOG.info("database ready: {} ({})", redact(url), dialect);
        return new Database(ds, dialect);
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
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Milliseconds on the database's clock. */
    public long nowMillis() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + dialect.nowMillis()).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
