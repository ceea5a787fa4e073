package dev.gnomon.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.server.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @Test
    void defaultsWorkOnOneMachine() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.httpPort()).isEqualTo(7700);
        assertThat(c.dbUrl()).startsWith("jdbc:h2:file:").contains(".gnomon");
        assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.adminPassword()).isEmpty();
    }

    @Test
    void aBadValueNamesItsKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> ServerConfig.of(Map.of("gnomon.http.port", "70000")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("gnomon.http.port").hasMessageContaining("allowed 0 to 65535");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("gnomon.worker.lost-after", "soon")))
            .hasMessageContaining("gnomon.worker.lost-after").hasMessageContaining("such as 15s");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("gnomon.htp.port", "1")))
            .hasMessageContaining("gnomon.htp.port").hasMessageContaining("unknown setting");
    }

    @Test
    void relatedSettingsMustFitTogether() {
        assertThatThrownBy(() -> ServerConfig.of(Map.of("gnomon.lease.duration", "6s", "gnomon.lease.renew-interval", "5s")))
            .hasMessageContaining("gnomon.lease.renew-interval").hasMessageContaining("third");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("gnomon.worker.suspect-after", "40s")))
            .hasMessageContaining("gnomon.worker.lost-after").hasMessageContaining("longer than");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("gnomon.worker.heartbeat-interval", "10s")))
            .hasMessageContaining("gnomon.worker.suspect-after").hasMessageContaining("at least twice");
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("gnomon.yaml");
        Files.writeString(yaml, """
            gnomon:
              http:
                port: 7801
              db:
                pool-size: 7
              worker:
                lost-after: 45s
            """);
        ServerConfig c = ConfigLoader.load(yaml, Map.of("GNOMON_HTTP_PORT", "7802", "GNOMON_DB_POOL_SIZE", "8"),
            Map.of("db.pool-size", "9"));
        assertThat(c.httpPort()).isEqualTo(7802);
        assertThat(c.get(Settings.DB_POOL)).isEqualTo(9);
        assertThat(c.get(Settings.LOST_AFTER)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void theDataDirectoryDecidesWhereEmbeddedH2Lives() {
        ServerConfig c = ServerConfig.of(Map.of("gnomon.data-dir", "/var/lib/gnomon"));
        assertThat(c.dbUrl()).startsWith("jdbc:h2:file:/var/lib/gnomon/gnomon;");
    }

    @Test
    void passwordsAreNotPrinted() {
        ServerConfig c = ServerConfig.of(Map.of("gnomon.db.password", "hunter2", "gnomon.admin.password", "s3cret"));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("s3cret").contains("gnomon.db.password=****");
    }

    @Test
    void aDatabaseIsNewWhenItIsTheEmbeddedOneAndItsFileIsMissing(@TempDir Path dir) throws IOException {
        ServerConfig embedded = ServerConfig.of(Map.of("gnomon.data-dir", dir.toString()));
        assertThat(embedded.newEmbeddedDatabase()).isTrue();
        Database.open(embedded).close();
        assertThat(embedded.newEmbeddedDatabase()).as("once H2 has made its file").isFalse();
        ServerConfig postgres = ServerConfig.of(Map.of("gnomon.data-dir", dir.resolve("other").toString(),
            "gnomon.db.url", "jdbc:postgresql://127.0.0.1/gnomon"));
        assertThat(postgres.newEmbeddedDatabase()).as("a server database may hold users already").isFalse();
    }
}
