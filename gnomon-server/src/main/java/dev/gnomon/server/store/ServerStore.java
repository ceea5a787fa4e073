package dev.gnomon.server.store;

import dev.gnomon.protocol.Endpoint;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Servers of the cluster and the endpoints each advertises (decision 5). */
public final class ServerStore {

    private final Jdbi jdbi;
    private final Dialect dialect;

    public ServerStore(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    public void register(String id, String version, List<Endpoint> endpoints) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM server_endpoints WHERE server_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM servers WHERE id = :id").bind("id", id).execute();
            h.createUpdate("INSERT INTO servers (id, version, started_at, heartbeat_at) VALUES (:id, :version, "
                    + dialect.nowMillis() + ", " + dialect.nowMillis() + ")")
                .bind("id", id).bind("version", version).execute();
            for (Endpoint e : endpoints) {
                h.createUpdate("INSERT INTO server_endpoints (server_id, protocol, host, port) VALUES (:id, :p, :h, :port)")
                    .bind("id", id).bind("p", e.protocol()).bind("h", e.host()).bind("port", e.port()).execute();
            }
        });
    }

    public void heartbeat(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE servers SET heartbeat_at = " + dialect.nowMillis() + " WHERE id = :id")
            .bind("id", id).execute());
    }

    public void remove(String id) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM server_endpoints WHERE server_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM servers WHERE id = :id").bind("id", id).execute();
        });
    }

    /** Servers whose heartbeat is younger than {@code maxAgeMs} by the database's clock. */
    public List<String> live(long maxAgeMs) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM servers WHERE heartbeat_at > "
                + dialect.nowMillis() + " - :age ORDER BY id")
            .bind("age", maxAgeMs).mapTo(String.class).list());
    }

    /** A server of the cluster as the servers table has it. */
    public record ServerRow(String id, String version, long startedAt, long heartbeatAgeMs) {
    }

    public List<ServerRow> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, version, started_at, " + dialect.nowMillis()
                + " - heartbeat_at FROM servers ORDER BY id")
            .map((rs, ctx) -> new ServerRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4))).list());
    }

    public List<Endpoint> endpoints(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT protocol, host, port FROM server_endpoints WHERE server_id = :id")
            .bind("id", id).map((rs, ctx) -> new Endpoint(rs.getString(1), rs.getString(2), rs.getInt(3))).list());
    }
}
