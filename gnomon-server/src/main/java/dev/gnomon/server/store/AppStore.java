package dev.gnomon.server.store;

import dev.gnomon.server.ConflictException;
import dev.gnomon.server.NotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Apps and their lease rows. */
public final class AppStore {

    private static final String COLUMNS = "id, name, description, secret_hash, created_at";

    private final Jdbi jdbi;
    private final RowCache<AppRow> recent;

    public AppStore(Database db) {
        this(db, System::nanoTime);
    }

    /** With the ticker that ages the rows {@link #byIdRecent} keeps. */
    public AppStore(Database db, LongSupplier nanoTime) {
        this.jdbi = db.jdbi();
        this.recent = new RowCache<>(nanoTime);
        jdbi.registerRowMapper(ConstructorMapper.factory(AppRow.class));
    }

    /** Stores a new app and its (unowned) lease row. */
    public AppRow create(String name, String description, String secretHash, long now) {
        return jdbi.inTransaction(h -> {
            if (find(h, name).isPresent()) {
                throw new ConflictException("app '" + name + "' already exists; choose another name");
            }
            long id = h.createUpdate("INSERT INTO apps (name, description, secret_hash, created_at)"
                    + " VALUES (:name, :description, :secretHash, :now)")
                .bind("name", name).bind("description", description).bind("secretHash", secretHash).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            h.createUpdate("INSERT INTO app_leases (app_id, part, owner_id, epoch, expires_at) VALUES (:id, 0, NULL, 0, 0)")
                .bind("id", id).execute();
            return new AppRow(id, name, description, secretHash, now);
        });
    }

    public Optional<AppRow> find(String name) {
        return jdbi.withHandle(h -> find(h, name));
    }

    private Optional<AppRow> find(Handle h, String name) {
        return h.createQuery("SELECT " + COLUMNS + " FROM apps WHERE name = :name")
            .bind("name", name).mapTo(AppRow.class).findOne();
    }

    public AppRow get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("no app named '" + name + "'"));
    }

    public Optional<AppRow> byId(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM apps WHERE id = :id")
            .bind("id", id).mapTo(AppRow.class).findOne());
    }

    /**
     * The app as read at most {@link RowCache#MAX_AGE} ago, for naming it in answers: a change made
     * through this store is seen at once, one made on another server within that age.
     */
    public Optional<AppRow> byIdRecent(long id) {
        return recent.get(id, this::byId);
    }

    public List<AppRow> list(int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM apps ORDER BY name"
                + " LIMIT :limit OFFSET :offset")
            .bind("limit", limit).bind("offset", offset).mapTo(AppRow.class).list());
    }

    /** Every app's id, for placing apps on servers. */
    public List<Long> ids() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM apps ORDER BY id").mapTo(Long.class).list());
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM apps").mapTo(Long.class).one());
    }

    public void updateSecret(long id, String secretHash) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE apps SET secret_hash = :hash WHERE id = :id")
            .bind("hash", secretHash).bind("id", id).execute());
        recent.forget(id);
    }

    /** Deletes an app with everything it holds. */
    public void delete(long id) {
        jdbi.useTransaction(h -> {
            for (String sql : List.of(
                "DELETE FROM log_chunks WHERE instance_id IN (SELECT id FROM instances WHERE app_id = :id)",
                // through its instances: on PostgreSQL no index covers the app of every task (V11)
                "DELETE FROM tasks WHERE instance_id IN (SELECT id FROM instances WHERE app_id = :id)",
                "DELETE FROM map_batches WHERE instance_id IN (SELECT id FROM instances WHERE app_id = :id)",
                "DELETE FROM instances WHERE app_id = :id",
                "DELETE FROM run_keys WHERE job_id IN (SELECT id FROM jobs WHERE app_id = :id)",
                "DELETE FROM jobs WHERE app_id = :id",
                "DELETE FROM workers WHERE app_id = :id",
                "DELETE FROM app_leases WHERE app_id = :id",
                "DELETE FROM apps WHERE id = :id")) {
                h.createUpdate(sql).bind("id", id).execute();
            }
        });
        recent.forget(id);
    }
}
