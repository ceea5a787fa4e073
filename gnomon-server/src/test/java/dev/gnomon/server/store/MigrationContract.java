package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;

/** Decision 1: versioned migrations run on every supported database. */
interface MigrationContract extends StoreFixture {

    Set<String> TABLES = Set.of("servers", "server_endpoints", "apps", "app_leases", "jobs", "instances", "tasks",
        "log_chunks", "workers", "users", "api_tokens", "cluster_settings", "refused_reports", "map_batches");

    @Test
    default void migrationsApplyCleanlyOnAnEmptyDatabase() throws SQLException {
        MigrationInfo[] applied = flyway().info().applied();

        // every migration on the class path, from V1 on, applied successfully
        assertThat(applied).hasSameSizeAs(flyway().info().all()).isNotEmpty();
        assertThat(applied).extracting(MigrationInfo::getState).containsOnly(MigrationState.SUCCESS);
        assertThat(applied[0].getVersion().getVersion()).isEqualTo("1");
        assertThat(tables()).containsAll(TABLES);
    }

    @Test
    default void migratingAgainIsANoOpAndKeepsTheData() {
        long appId = newApp();
        int applied = flyway().info().applied().length;

        assertThat(flyway().migrate().migrationsExecuted).isZero();
        try (Database again = testDatabase().open()) {
            assertThat(new AppStore(again).byId(appId)).isPresent();
        }
        assertThat(flyway().info().applied()).hasSameSizeAs(flyway().info().all());
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(db().dataSource()).locations("classpath:db/migration")
            .placeholders(db().dialect().placeholders()).load();
    }

    private Set<String> tables() throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection c = db().dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
