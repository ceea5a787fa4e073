package dev.gnomon.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, read and checked once. Build it with {@link ConfigLoader} (YAML file,
 * then {@code GNOMON_*} environment variables, then flags) or, in tests, with {@link #of(Map)}.
 */
public final class ServerConfig {

    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> raw;

    private ServerConfig(Map<String, String> raw) {
        this.raw = Map.copyOf(raw);
        for (Setting<?> setting : Settings.ALL) {
            String value = raw.getOrDefault(setting.key(), setting.defaultValue());
            values.put(setting.key(), setting.parse(value));
        }
        for (String key : raw.keySet()) {
            if (Settings.ALL.stream().noneMatch(s -> s.key().equals(key))) {
                throw new ConfigException(key, "unknown setting; see the configuration table in README.md");
            }
        }
        if (get(Settings.LEASE_RENEW).multipliedBy(3).compareTo(get(Settings.LEASE_DURATION)) > 0) {
            throw new ConfigException(Settings.LEASE_RENEW.key(), "must be at most a third of "
                + Settings.LEASE_DURATION.key() + " (" + get(Settings.LEASE_DURATION) + ")");
        }
        if (get(Settings.SERVER_HEARTBEAT).multipliedBy(2).compareTo(get(Settings.SERVER_TIMEOUT)) > 0) {
            throw new ConfigException(Settings.SERVER_TIMEOUT.key(), "must be at least twice "
                + Settings.SERVER_HEARTBEAT.key() + " (" + get(Settings.SERVER_HEARTBEAT) + ")");
        }
        if (get(Settings.HEARTBEAT).multipliedBy(2).compareTo(get(Settings.SUSPECT_AFTER)) > 0) {
            throw new ConfigException(Settings.SUSPECT_AFTER.key(), "must be at least twice "
                + Settings.HEARTBEAT.key() + " (" + get(Settings.HEARTBEAT) + "), so one late heartbeat does not make a"
                + " worker SUSPECT");
        }
        if (get(Settings.SUSPECT_AFTER).compareTo(get(Settings.LOST_AFTER)) >= 0) {
            throw new ConfigException(Settings.LOST_AFTER.key(), "must be longer than "
                + Settings.SUSPECT_AFTER.key() + " (" + get(Settings.SUSPECT_AFTER) + ")");
        }
    }

    /** Settings from raw key/value pairs (keys with the {@code gnomon.} prefix); the rest take defaults. */
    public static ServerConfig of(Map<String, String> raw) {
        return new ServerConfig(raw);
    }

    public static ServerConfig defaults() {
        return of(Map.of());
    }

    /** A copy with one more value set. */
    public ServerConfig with(String key, String value) {
        Map<String, String> copy = new HashMap<>(raw);
        copy.put(key, value);
        return of(copy);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.key());
    }

    public Path dataDir() {
        String dir = get(Settings.DATA_DIR);
        if (dir.equals("~") || dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    public int httpPort() {
        return get(Settings.HTTP_PORT);
    }

    public Optional<String> adminPassword() {
        return Optional.of(get(Settings.ADMIN_PASSWORD)).filter(s -> !s.isBlank());
    }

    /** The JDBC URL, with the embedded H2 default resolved against the data directory. */
    public String dbUrl() {
        String url = get(Settings.DB_URL);
        if (!url.isBlank()) {
            return url;
        }
        return "jdbc:h2:file:" + dataDir().resolve("gnomon") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    }

    /**
     * True when the database is the embedded H2 default and its file does not exist yet, so that
     * this start creates it: there is no user, no app and no lease in it.
     */
    public boolean newEmbeddedDatabase() {
        return get(Settings.DB_URL).isBlank() && !Files.exists(dataDir().resolve("gnomon.mv.db"));
    }

    public Duration leaseDuration() {
        return get(Settings.LEASE_DURATION);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Setting<?> s : Settings.ALL) {
            Object v = (s.key().contains("password") || s.key().contains("secret")) && !String.valueOf(values.get(s.key())).isEmpty()
                ? "****" : values.get(s.key());
            out.append(s.key()).append('=').append(v).append('\n');
        }
        return out.toString();
    }
}
