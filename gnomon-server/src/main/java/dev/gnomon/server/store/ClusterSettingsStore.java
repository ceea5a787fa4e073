package dev.gnomon.server.store;

import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/** Settings shared by every server on one database. */
public final class ClusterSettingsStore {

    private final Jdbi jdbi;

    public ClusterSettingsStore(Database db) {
        this.jdbi = db.jdbi();
    }

    public Optional<String> get(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT setting_value FROM cluster_settings WHERE setting_name = :name")
            .bind("name", name).mapTo(String.class).findOne());
    }

    /** The stored value, or {@code fresh} stored now; when two servers race, both get the first one stored. */
    public String getOrCreate(String name, Supplier<String> fresh) {
        Optional<String> existing = get(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO cluster_settings (setting_name, setting_value) VALUES (:name, :value)")
                .bind("name", name).bind("value", fresh.get()).execute());
        } catch (RuntimeException e) {
            // another server stored it first: read what it stored
        }
        return get(name).orElseThrow(() -> new IllegalStateException("cannot store cluster setting " + name));
    }
}
