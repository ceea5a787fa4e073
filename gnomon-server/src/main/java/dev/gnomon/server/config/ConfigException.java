package dev.gnomon.server.config;

/** A configuration value cannot be used. The message names the key; the server does not start. */
public class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
