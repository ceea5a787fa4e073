package dev.gnomon.cli;

import dev.gnomon.server.config.ConfigLoader;
import dev.gnomon.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Server settings from a YAML file, GNOMON_* variables and flags, in that order of strength. */
final class ServerOptions {

    @Option(names = "--config", description = "YAML configuration file (env GNOMON_CONFIG)")
    Path config;

    @Option(names = "--port", description = "HTTP port (gnomon.http.port, default 7700)")
    Integer port;

    @Option(names = "--data-dir", description = "data directory (gnomon.data-dir, env GNOMON_DATA_DIR, default ~/.gnomon)")
    String dataDir;

    @Option(names = "--db-url", description = "JDBC URL (gnomon.db.url); default: embedded H2 in the data directory")
    String dbUrl;

    @Option(names = "--db-user", description = "database user (gnomon.db.user)")
    String dbUser;

    @Option(names = "--db-password", description = "database password (gnomon.db.password)")
    String dbPassword;

    @Option(names = "--server-id", description = "name of this server (gnomon.server.id)")
    String serverId;

    @Option(names = "--advertised-host", description = "host others use to reach this server (gnomon.http.advertised-host)")
    String advertisedHost;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
        description = "any setting, such as -D gnomon.worker.lost-after=60s (see README)")
    Map<String, String> settings = new LinkedHashMap<>();

    ServerConfig load() {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        put(flags, "gnomon.http.port", port == null ? null : port.toString());
        put(flags, "gnomon.data-dir", dataDir);
        put(flags, "gnomon.db.url", dbUrl);
        put(flags, "gnomon.db.user", dbUser);
        put(flags, "gnomon.db.password", dbPassword);
        put(flags, "gnomon.server.id", serverId);
        put(flags, "gnomon.http.advertised-host", advertisedHost);
        Path file = config;
        if (file == null && System.getenv("GNOMON_CONFIG") != null) {
            file = Path.of(System.getenv("GNOMON_CONFIG"));
        }
        return ConfigLoader.load(file, System.getenv(), flags);
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
