package dev.gnomon.server.store;

import dev.gnomon.protocol.WorkerHeartbeat;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** What servers know of workers, for the API and for people. Dispatch uses live sessions. */
public final class WorkerStore {

    private final Jdbi jdbi;

    public WorkerStore(Database db) {
        this.jdbi = db.jdbi();
        jdbi.registerRowMapper(ConstructorMapper.factory(WorkerRow.class));
    }

    /** Records a worker that just said hello. */
    public void connected(long appId, String id, String host, String address, String version, String processors,
                          String tags, int maxTasks, String serverId, long now) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("UPDATE workers SET host = :host, address = :address, version = :version,"
                    + " processors = :processors, tags = :tags, state = 'ONLINE', server_id = :server, connected_at = :now,"
                    + " heartbeat_at = :now, max_tasks = :max WHERE app_id = :app AND id = :id")
                .bind("host", host).bind("address", address).bind("version", version).bind("processors", processors)
                .bind("tags", tags).bind("server", serverId).bind("now", now).bind("max", maxTasks).bind("app", appId).bind("id", id)
                .execute();
            if (n == 0) {
                h.createUpdate("INSERT INTO workers (app_id, id, host, address, version, processors, tags, state,"
                        + " server_id, connected_at, heartbeat_at, max_tasks, running_tasks) VALUES (:app, :id, :host,"
                        + " :address, :version, :processors, :tags, 'ONLINE', :server, :now, :now, :max, 0)")
                    .bind("tags", tags).bind("host", host).bind("address", address).bind("version", version)
                    .bind("processors", processors).bind("server", serverId).bind("now", now).bind("max", maxTasks)
                    .bind("app", appId).bind("id", id).execute();
            }
        });
    }

    public void heartbeat(long appId, String id, WorkerHeartbeat hb, long now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE workers SET state = 'ONLINE', heartbeat_at = :now, cpu_load = :cpu,"
                + " cpu_count = :cpus, memory_used = :used, memory_max = :max, running_tasks = :running,"
                + " max_tasks = :maxTasks WHERE app_id = :app AND id = :id")
            .bind("now", now).bind("cpu", hb.cpuLoad()).bind("cpus", hb.cpuCount()).bind("used", hb.memoryUsed())
            .bind("max", hb.memoryMax()).bind("running", hb.runningTasks()).bind("maxTasks", hb.maxTasks())
            .bind("app", appId).bind("id", id).execute());
    }

    public void state(long appId, String id, String state) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE workers SET state = :state WHERE app_id = :app AND id = :id")
            .bind("state", state).bind("app", appId).bind("id", id).execute());
    }

    public List<WorkerRow> list(Long appId, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + WorkerRow.COLUMNS + " FROM workers"
                + (appId == null ? "" : " WHERE app_id = :app") + " ORDER BY app_id, id LIMIT :limit OFFSET :offset")
            .bind("app", appId).bind("limit", limit).bind("offset", offset).mapTo(WorkerRow.class).list());
    }

    public long count(Long appId) {
        // Bind :app only when the query names it: Jdbi refuses a binding a query without parameters does not use.
        return jdbi.withHandle(h -> appId == null
            ? h.createQuery("SELECT COUNT(*) FROM workers").mapTo(Long.class).one()
            : h.createQuery("SELECT COUNT(*) FROM workers WHERE app_id = :app").bind("app", appId).mapTo(Long.class).one());
    }
}
