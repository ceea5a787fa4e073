package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

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
        "log_chunks", "workers", "users", "api_tokens", "cluster_settings");

    @Test
    default void migrationsApplyCleanlyOnAnEmptyDatabase() throws SQLException {
        MigrationInfo[] applied = flyway().info().applied();

        assertThat(applied).extracting(i -> i.getVersion().getVersion(), MigrationInfo::getState)
            .contains(tuple("1", MigrationState.SUCCESS), tuple("2", MigrationState.SUCCESS))
            .allMatch(t -> t.toList().get(1) == MigrationState.SUCCESS);
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
        assertThat(flyway().info().applied()).hasSize(applied);
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
