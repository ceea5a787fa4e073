package dev.gnomon.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * An empty database of its own for one test class: an H2 memory database, a PostgreSQL schema
 * or a MariaDB database, dropped again by {@link #drop()}.
 *
 * <p>PostgreSQL and MariaDB are skipped with a line on stderr when unreachable, unless the
 * environment variable {@code CI} is {@code true}: then an unreachable database fails the run.
 */
final class TestDatabase {

    static final String PG_URL_VARIABLE = "GNOMON_TEST_PG_URL";
    static final String MARIADB_URL_VARIABLE = "GNOMON_TEST_MARIADB_URL";
    private static final String PG_DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String MARIADB_DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    private static final Pattern HOST = Pattern.compile("//([^/?;]+)");
    private static final Pattern MARIADB_PATH = Pattern.compile("^(jdbc:(?:mariadb|mysql)://[^/?]+)(/[^?]*)?(\\?.*)?$");
    private static final int LOGIN_TIMEOUT_SECONDS = 5;

    private final String url;
    private final String adminUrl;
    private final String dropSql;

    private TestDatabase(String url, String adminUrl, String dropSql) {
        this.url = url;
        this.adminUrl = adminUrl;
        this.dropSql = dropSql;
    }

    static TestDatabase h2() {
        String url = "jdbc:h2:mem:contract-" + suffix() + ";DB_CLOSE_DELAY=-1";
        return new TestDatabase(url, url, "SHUTDOWN");
    }

    static TestDatabase postgres() {
        String base = urlFrom(PG_URL_VARIABLE, PG_DEFAULT_URL);
        String schema = "gnomon_ct_" + suffix();
        execute("PostgreSQL", base, "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(url, base, "DROP SCHEMA " + schema + " CASCADE");
    }

    static TestDatabase mariaDb() {
        String base = urlFrom(MARIADB_URL_VARIABLE, MARIADB_DEFAULT_URL);
        Matcher m = MARIADB_PATH.matcher(base);
        if (!m.matches()) {
            throw new IllegalArgumentException(MARIADB_URL_VARIABLE + " is '" + base
                + "'; expected jdbc:mariadb://host:port/database?user=…");
        }
        String name = "gnomon_ct_" + suffix();
        // latin1 was MariaDB's default before 11.6: the schema must not depend on the database's defaults.
        execute("MariaDB", base, "CREATE DATABASE " + name + " CHARACTER SET latin1 COLLATE latin1_swedish_ci");
        String url = m.group(1) + "/" + name + (m.group(3) == null ? "" : m.group(3));
        return new TestDatabase(url, base, "DROP DATABASE " + name);
    }

    /** The URL of the empty database, credentials included. */
    String url() {
        return url;
    }

    Database open() {
        return Database.open(url, "", "", 8);
    }

    void drop() {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(dropSql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the test database: " + dropSql, e);
        }
    }

    private static void execute(String product, String url, String sql) {
        DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            unreachable(product, url, e);
            return;
        }
        try (c; Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(product + ": " + sql + " failed", e);
        }
    }

    private static void unreachable(String product, String url, SQLException e) {
        Matcher host = HOST.matcher(url);
        String where = host.find() ? host.group(1) : url;
        String what = product + " at " + where + " unreachable (" + e.getMessage() + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(what + "; CI=true requires it", e);
        }
        System.err.println("SKIPPED: " + what + " (set CI=true to make this a failure)");
        Assumptions.abort("SKIPPED: " + what);
    }

    private static String urlFrom(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }
}
