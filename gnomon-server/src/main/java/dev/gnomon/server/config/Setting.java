package dev.gnomon.server.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its name under {@code gnomon.}, its default, how to read it and what
 * it means. Every key the server understands is listed in {@link Settings}.
 */
public record Setting<T>(String key, String defaultValue, Function<String, T> parser, String description) {

    /** The environment variable that overrides this key, e.g. {@code GNOMON_DB_URL}. */
    public String envName() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The command-line flag that overrides this key, e.g. {@code --db.url}. */
    public String flag() {
        return "--" + key.substring("gnomon.".length());
    }

    T parse(String raw) {
        try {
            return parser.apply(raw.strip());
        } catch (RuntimeException e) {
            throw new ConfigException(key, "'" + raw + "' is not valid: " + e.getMessage());
        }
    }
}
