package dev.gnomon.server.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Task attempts: which worker runs what, and what it reported. Writes are lease-guarded. */
public final class TaskStore {

    /** Made but not yet sent: a shard waiting for a free worker, a broadcast task for its worker's slot. */
    public static final String WAITING = "WAITING";
    public static final String DISPATCHED = "DISPATCHED";
    public static final String RUNNING = "RUNNING";
    /** The worker that ran the attempt went silent past the lost timeout. */
    public static final String WORKER_LOST = "WORKER_LOST";
    /** The server ended the attempt (stop through the API, or a newer attempt replaced it). */
    public static final String SUPERSEDED = "SUPERSEDED";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String STOPPED = "STOPPED";
    /** Task keys: the one task of a standalone instance, shards, broadcast tasks, the broadcast post-step. */
    public static final String ROOT = "root";
    public static final String SHARD_PREFIX = "shard-";
    public static final String WORKER_PREFIX = "worker-";
    public static final String POST = "post";

    /** Every state a task attempt can be in, in the order of its life. */
    public static final List<String> STATES = List.of(WAITING, DISPATCHED, RUNNING, SUCCEEDED, "FAILED", "TIMED_OUT",
        STOPPED, "REFUSED", WORKER_LOST, SUPERSEDED);

    /** A task to record before it is dispatched. {@code workerId} binds it to one worker (broadcast). */
    public record NewTask(long instanceId, String taskKey, int attempt, String workerId, String params, Long notBefore) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final SubTaskStore subTasks;

    public TaskStore(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
        this.subTasks = new SubTaskStore(db, this);
        jdbi.registerRowMapper(TaskRow.class, Rows.TASK);
    }

    /** The queries of map and map-reduce instances. */
    public SubTaskStore subTasks() {
        return subTasks;
    }

    /** Records a dispatched attempt; returns its id. */
    public long insert(Handle h, Fence fence, long instanceId, String taskKey, int attempt, String workerId, long now) {
        List<Long> ids = fence.bind(h.createUpdate("INSERT INTO tasks (instance_id, app_id, task_key, attempt, state,"
                + " worker_id, last_report_seq, epoch, dispatched_at) SELECT :instance, :fenceApp, :key, :attempt,"
                + " 'DISPATCHED', :worker, 0, :fenceEpoch, :now FROM app_leases l WHERE l.app_id = :fenceApp"
                + " AND l.part = 0 AND l.owner_id = :fenceOwner AND l.epoch = :fenceEpoch AND l.expires_at > "
                + dialect.nowMillis()))
            .bind("instance", instanceId).bind("key", taskKey).bind("attempt", attempt).bind("worker", workerId)
            .bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).list();
        if (ids.isEmpty()) {
            throw new FencedException(fence);
        }
        return ids.get(0);
    }

    /** A task attempt sent to a worker as soon as it is recorded (the one task of a standalone instance). */
    public record NewDispatched(Fence fence, long instanceId, String taskKey, int attempt, String workerId) {
    }

    /**
     * Records dispatched attempts in one batch; returns their ids in the given order. Throws
     * {@link FencedException} when a lease is gone; nothing is stored then (the caller rolls back).
     */
    public List<Long> insertDispatched(Handle h, List<NewDispatched> batch, long now) {
        if (batch.isEmpty()) {
            return List.of();
        }
        if (dialect == Dialect.POSTGRESQL && batch.size() > 1) {
            return insertDispatchedAtOnce(h, batch, now);
        }
        PreparedBatch insert = h.prepareBatch("INSERT INTO tasks (instance_id, app_id, task_key, attempt, state,"
            + " worker_id, last_report_seq, epoch, dispatched_at) SELECT :instance, :fenceApp, :key, :attempt,"
            + " 'DISPATCHED', :worker, 0, :fenceEpoch, :now FROM app_leases l WHERE l.app_id = :fenceApp"
            + " AND l.part = 0 AND l.owner_id = :fenceOwner AND l.epoch = :fenceEpoch AND l.expires_at > "
            + dialect.nowMillis());
        for (NewDispatched t : batch) {
            t.fence().bind(insert).bind("instance", t.instanceId()).bind("key", t.taskKey())
                .bind("attempt", t.attempt()).bind("worker", t.workerId()).bind("now", now).add();
        }
        List<Long> ids = insert.executePreparedBatch("id").mapTo(Long.class).list();
        if (ids.size() != batch.size()) {
            throw new FencedException(batch.get(0).fence());
        }
        return ids;
    }

    /**
     * On PostgreSQL, each lease's part of the batch as one {@code INSERT} over arrays of the values,
     * whatever its size: one statement to parse, plan and execute instead of one per task.
     */
    private List<Long> insertDispatchedAtOnce(Handle h, List<NewDispatched> batch, long now) {
        Map<Fence, List<NewDispatched>> byFence = new LinkedHashMap<>();
        for (NewDispatched t : batch) {
            byFence.computeIfAbsent(t.fence(), f -> new ArrayList<>()).add(t);
        }
        Map<String, Long> idOf = new HashMap<>();
        byFence.forEach((fence, group) -> {
            int n = group.size();
            Long[] instances = new Long[n];
            String[] keys = new String[n];
            Integer[] attempts = new Integer[n];
            String[] workers = new String[n];
            for (int i = 0; i < n; i++) {
                NewDispatched t = group.get(i);
                instances[i] = t.instanceId();
                keys[i] = t.taskKey();
                attempts[i] = t.attempt();
                workers[i] = t.workerId();
            }
            int before = idOf.size();
            fence.bind(h.createQuery("INSERT INTO tasks (instance_id, app_id, task_key, attempt, state, worker_id,"
                    + " last_report_seq, epoch, dispatched_at) SELECT v.instance, :fenceApp, v.key, v.attempt,"
                    + " 'DISPATCHED', v.worker, 0, :fenceEpoch, :now FROM unnest(:instances, :keys, :attempts, :workers)"
                    + " AS v(instance, key, attempt, worker) WHERE " + Fence.condition(dialect)
                    + " RETURNING id, instance_id, task_key, attempt"))
                // Java arrays bind as SQL arrays directly, as in InstanceStore's batch insert
                .bind("instances", instances).bind("keys", keys).bind("attempts", attempts).bind("workers", workers)
                .bind("now", now)
                .map((rs, ctx) -> idOf.put(attemptKey(rs.getLong(2), rs.getString(3), rs.getInt(4)), rs.getLong(1)))
                .list();
            if (idOf.size() - before != group.size()) {
                throw new FencedException(fence);
            }
        });
        List<Long> ids = new ArrayList<>(batch.size());
        for (NewDispatched t : batch) {
            ids.add(idOf.get(attemptKey(t.instanceId(), t.taskKey(), t.attempt())));
        }
        return ids;
    }

    private static String attemptKey(long instanceId, String taskKey, int attempt) {
        return instanceId + "/" + attempt + "/" + taskKey;
    }

    /**
     * One write of a batch: task {@code id}, if still at {@code attempt} in state {@code from},
     * gets all of these columns (the caller merges several reports of one task into one write).
     */
    public record StagedTask(Fence fence, long id, int attempt, String from, String state, String result, long seq,
                             Long startedAt, Long finishedAt) {
    }

    /**
     * Applies many task writes in one batch; returns the ids that did not apply (the task moved
     * on). Throws {@link FencedException} when a write failed because its lease is gone.
     */
    public Set<Long> changeAll(Handle h, List<StagedTask> writes) {
        Set<Long> missed = new HashSet<>();
        if (writes.isEmpty()) {
            return missed;
        }
        if (dialect == Dialect.POSTGRESQL) {
            Map<Fence, List<StagedTask>> byFence = new LinkedHashMap<>();
            for (StagedTask w : writes) {
                byFence.computeIfAbsent(w.fence(), f -> new ArrayList<>()).add(w);
            }
            byFence.forEach((fence, group) -> missed.addAll(changeAllAtOnce(h, fence, group)));
            return missed;
        }
        PreparedBatch update = h.prepareBatch("UPDATE tasks SET state = :state, last_report_seq = :seq,"
            + " epoch = :fenceEpoch, result = :result, started_at = :started, finished_at = :finished"
            + " WHERE id = :id AND attempt = :attempt AND state = :from AND " + Fence.condition(dialect));
        for (StagedTask w : writes) {
            w.fence().bind(update).bind("state", w.state()).bind("seq", w.seq())
                .bind("result", InstanceChange.truncate(w.result(), 4000)).bind("started", w.startedAt())
                .bind("finished", w.finishedAt()).bind("id", w.id()).bind("attempt", w.attempt())
                .bind("from", w.from()).add();
        }
        int[] counts = update.execute();
        for (int i = 0; i < writes.size(); i++) {
            if (counts[i] != 1) {
                missed.add(writes.get(i).id());
                if (!writes.get(i).fence().held(h, dialect)) {
                    throw new FencedException(writes.get(i).fence());
                }
            }
        }
        return missed;
    }

    /**
     * {@link #changeAll} on PostgreSQL: the writes of one lease as one statement over arrays of
     * their values, however many there are, instead of one statement each.
     */
    private Set<Long> changeAllAtOnce(Handle h, Fence fence, List<StagedTask> group) {
        int n = group.size();
        List<Long> ids = new ArrayList<>(n);
        List<Integer> attempts = new ArrayList<>(n);
        List<String> froms = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<String> results = new ArrayList<>(n);
        List<Long> seqs = new ArrayList<>(n);
        List<Long> started = new ArrayList<>(n);
        List<Long> finished = new ArrayList<>(n);
        for (StagedTask w : group) {
            ids.add(w.id());
            attempts.add(w.attempt());
            froms.add(w.from());
            states.add(w.state());
            results.add(InstanceChange.truncate(w.result(), 4000));
            seqs.add(w.seq());
            started.add(w.startedAt());
            finished.add(w.finishedAt());
        }
        List<Long> changed = fence.bind(h.createQuery("UPDATE tasks t SET state = v.state,"
                + " last_report_seq = v.seq, epoch = :fenceEpoch, result = v.result, started_at = v.started,"
                + " finished_at = v.finished FROM unnest(:ids, :attempts, :froms, :states, :results, :seqs, :started,"
                + " :finished) AS v(id, attempt, from_state, state, result, seq, started, finished)"
                + " WHERE t.id = v.id AND t.attempt = v.attempt AND t.state = v.from_state AND "
                + Fence.condition(dialect) + " RETURNING t.id"))
            .bindArray("ids", Long.class, ids).bindArray("attempts", Integer.class, attempts)
            .bindArray("froms", String.class, froms).bindArray("states", String.class, states)
            .bindArray("results", String.class, results).bindArray("seqs", Long.class, seqs)
            .bindArray("started", Long.class, started).bindArray("finished", Long.class, finished)
            .mapTo(Long.class).list();
        return fence.missed(h, dialect, ids, changed);
    }

    /** The tasks with these ids that exist, by id. */
    public Map<Long, TaskRow> findAll(Handle h, Collection<Long> ids) {
        Map<Long, TaskRow> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        dialect.bindIds(h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE " + dialect.idIn("id", "ids")),
            "ids", ids).mapTo(TaskRow.class).forEach(r -> out.put(r.id(), r));
        return out;
    }

    /**
     * Records tasks that wait for a worker, in one batch under the lease. Throws
     * {@link FencedException} when the lease is gone; nothing is stored then.
     */
    public void insertWaiting(Handle h, Fence fence, List<NewTask> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (dialect == Dialect.POSTGRESQL && batch.size() > 1) {
            insertWaitingAtOnce(h, fence, batch);
            return;
        }
        PreparedBatch insert = h.prepareBatch("INSERT INTO tasks (instance_id, app_id, task_key, attempt, state,"
            + " worker_id, last_report_seq, epoch, params, not_before) SELECT :instance, :fenceApp, :key, :attempt,"
            + " 'WAITING', :worker, 0, :fenceEpoch, :params, :notBefore FROM app_leases l WHERE l.app_id = :fenceApp"
            + " AND l.part = 0 AND l.owner_id = :fenceOwner AND l.epoch = :fenceEpoch AND l.expires_at > "
            + dialect.nowMillis());
        for (NewTask t : batch) {
            fence.bind(insert).bind("instance", t.instanceId()).bind("key", t.taskKey()).bind("attempt", t.attempt())
                .bind("worker", t.workerId()).bind("params", t.params()).bind("notBefore", t.notBefore()).add();
        }
        for (int n : insert.execute()) {
            if (n != 1) {
                throw new FencedException(fence);
            }
        }
    }

    /**
     * On PostgreSQL, the batch as one {@code INSERT} over arrays of the values: a batch of a
     * thousand sub-tasks from {@code ctx.map} is one statement to parse, plan and execute instead
     * of a thousand.
     */
    private void insertWaitingAtOnce(Handle h, Fence fence, List<NewTask> batch) {
        int n = batch.size();
        Long[] instances = new Long[n];
        String[] keys = new String[n];
        Integer[] attempts = new Integer[n];
        String[] workers = new String[n];
        String[] params = new String[n];
        Long[] notBefore = new Long[n];
        for (int i = 0; i < n; i++) {
            NewTask t = batch.get(i);
            instances[i] = t.instanceId();
            keys[i] = t.taskKey();
            attempts[i] = t.attempt();
            workers[i] = t.workerId();
            params[i] = t.params();
            notBefore[i] = t.notBefore();
        }
        int stored = fence.bind(h.createUpdate("INSERT INTO tasks (instance_id, app_id, task_key, attempt, state,"
                + " worker_id, last_report_seq, epoch, params, not_before) SELECT v.instance, :fenceApp, v.key,"
                + " v.attempt, 'WAITING', v.worker, 0, :fenceEpoch, v.params, v.not_before"
                + " FROM unnest(:instances, :keys, :attempts, :workers, :params, :notBefore)"
                + " AS v(instance, key, attempt, worker, params, not_before) WHERE " + Fence.condition(dialect)))
            // Java arrays bind as SQL arrays directly, as in insertDispatchedAtOnce
            .bind("instances", instances).bind("keys", keys).bind("attempts", attempts).bind("workers", workers)
            .bind("params", params).bind("notBefore", notBefore)
            .execute();
        if (stored != n) {
            throw new FencedException(fence);
        }
    }

    /**
     * Sends a waiting task to a worker: WAITING to DISPATCHED. False when it is no longer waiting;
     * throws {@link FencedException} when the lease is gone.
     */
    public boolean assign(Handle h, Fence fence, long id, String workerId, long now) {
        boolean changed = fence.bind(h.createUpdate("UPDATE tasks SET state = 'DISPATCHED', worker_id = :worker,"
                + " dispatched_at = :now, epoch = :fenceEpoch WHERE id = :id AND state = 'WAITING' AND "
                + Fence.condition(dialect)))
            .bind("worker", workerId).bind("now", now).bind("id", id).execute() == 1;
        if (!changed && !fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return changed;
    }

    /**
     * Sends waiting tasks to one worker in one statement: WAITING to DISPATCHED. Returns the ids
     * that changed (those no longer waiting are left out); throws {@link FencedException} when the
     * lease is gone.
     */
    public List<Long> assignAll(Handle h, Fence fence, List<Long> ids, String workerId, long now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        int changed = dialect.bindIds(fence.bind(h.createUpdate("UPDATE tasks SET state = 'DISPATCHED',"
                + " worker_id = :worker, dispatched_at = :now, epoch = :fenceEpoch WHERE " + dialect.idIn("id", "ids")
                + " AND state = 'WAITING' AND " + Fence.condition(dialect)))
            .bind("worker", workerId).bind("now", now), "ids", ids).execute();
        if (changed == ids.size()) {
            return ids;
        }
        if (changed == 0) {
            if (!fence.held(h, dialect)) {
                throw new FencedException(fence);
            }
            return List.of();
        }
        // some were no longer waiting: the ones this statement sent carry its worker, time and epoch
        return dialect.bindIds(h.createQuery("SELECT id FROM tasks WHERE " + dialect.idIn("id", "ids")
                + " AND state = 'DISPATCHED' AND worker_id = :worker AND dispatched_at = :now AND epoch = :epoch")
            .bind("worker", workerId).bind("now", now).bind("epoch", fence.epoch()), "ids", ids)
            .mapTo(Long.class).list();
    }

    /**
     * The id of a waiting task of the instance, if it has one: the newest, read from the high end
     * of the instance's waiting entries. Tasks leave WAITING oldest first, and each leaves its
     * entry behind in the index until a vacuum; the newest entries are the live ones, so the read
     * stops at the first entry instead of stepping over the dead ones of every task sent so far.
     */
    public Optional<Long> someWaiting(Handle h, long instanceId) {
        return newestIn(h, instanceId, WAITING);
    }

    private static Optional<Long> newestIn(Handle h, long instanceId, String state) {
        return h.createQuery("SELECT id FROM tasks WHERE instance_id = :id AND state = :state ORDER BY id DESC LIMIT 1")
            .bind("id", instanceId).bind("state", state).mapTo(Long.class).findOne();
    }

    /** Waiting tasks of these apps whose time has come, oldest first. */
    public List<TaskRow> waiting(Collection<Long> appIds, long now, int limit) {
        return waiting(appIds, Map.of(), now, limit);
    }

    /**
     * Waiting tasks of these apps whose time has come, oldest first, with ids from {@code from}'s
     * on for the apps it names (on PostgreSQL; elsewhere from the lowest it names, for all). A task
     * never returns to WAITING once it left it, so a caller that knows every waiting task below an
     * id was read may start there, past the index entries that the tasks sent since the last
     * vacuum left behind.
     */
    public List<TaskRow> waiting(Collection<Long> appIds, Map<Long, Long> from, long now, int limit) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> dialect.bindFrom(h.createQuery(dialect.oldestPerAppFrom(TaskRow.COLUMNS, "tasks",
                "state = 'WAITING' AND (not_before IS NULL OR not_before <= :now)")), appIds, from)
            .bind("now", now).bind("limit", limit).mapTo(TaskRow.class).list());
    }

    /**
     * As {@link #waiting(Collection, Map, long, int)}, and also every waiting task of these apps
     * that was delayed (a retry's {@code not_before}) and is due now, below {@code from}'s ids too:
     * the read of a pass that must not miss a retry that was not yet due when the apps' marks went
     * past it. On PostgreSQL the delayed tasks are read through their own index (V15), so the read
     * never walks the entries that sent tasks leave below the marks until a vacuum; elsewhere,
     * where no such entries linger, every app is read from its first waiting task.
     */
    public List<TaskRow> waitingWithDelayed(Collection<Long> appIds, Map<Long, Long> from, long now, int limit) {
        if (dialect != Dialect.POSTGRESQL || from.isEmpty()) {
            return waiting(appIds, Map.of(), now, limit);
        }
        List<TaskRow> marked = waiting(appIds, from, now, limit);
        List<TaskRow> delayed = jdbi.withHandle(h -> dialect.bindIds(h.createQuery(dialect.oldestPerApp(TaskRow.COLUMNS,
                "tasks", "state = 'WAITING' AND not_before IS NOT NULL AND not_before <= :now")), "apps", appIds)
            .bind("now", now).bind("limit", limit).mapTo(TaskRow.class).list());
        if (delayed.isEmpty()) {
            return marked;
        }
        Map<Long, TaskRow> merged = new TreeMap<>();
        for (TaskRow t : marked) {
            merged.put(t.id(), t);
        }
        for (TaskRow t : delayed) {
            merged.putIfAbsent(t.id(), t);
        }
        return merged.values().stream().limit(limit).toList();
    }

    /**
     * The highest task id committed, as this transaction reads it (0 with none): a task inserted
     * after this read, by whichever writer, gets a higher id.
     */
    public long maxId(Handle h) {
        return h.createQuery("SELECT COALESCE(MAX(id), 0) FROM tasks").mapTo(Long.class).one();
    }

    /** Ends every waiting task of an instance (the instance was stopped); returns how many. */
    public int endWaiting(Handle h, Fence fence, long instanceId, String state, String why, long now) {
        return fence.bind(h.createUpdate("UPDATE tasks SET state = :state, result = :why, finished_at = :now,"
                + " epoch = :fenceEpoch WHERE instance_id = :id AND state = 'WAITING' AND " + Fence.condition(dialect)))
            .bind("state", state).bind("why", InstanceChange.truncate(why, 4000)).bind("now", now)
            .bind("id", instanceId).execute();
    }

    /** How many tasks of the instance are in each state; states with none are left out. */
    public Map<String, Long> countsByState(Handle h, long instanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        h.createQuery("SELECT state, COUNT(*) AS n FROM tasks WHERE instance_id = :id GROUP BY state ORDER BY state")
            .bind("id", instanceId)
            .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getLong("n")))
            .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    public Map<String, Long> countsByState(long instanceId) {
        return jdbi.withHandle(h -> countsByState(h, instanceId));
    }

    /**
     * Whether a task of the instance is dispatched or running: one read per state, each from the
     * newest entry down (see {@link #someWaiting}), so it looks at one live row, however many tasks
     * the instance has and however many of them have ended.
     */
    public boolean anyLive(Handle h, long instanceId) {
        return newestIn(h, instanceId, DISPATCHED).isPresent() || newestIn(h, instanceId, RUNNING).isPresent();
    }

    /** Tasks of the instance not yet ended: waiting, dispatched or running. */
    public int unfinished(Handle h, long instanceId) {
        return h.createQuery("SELECT COUNT(*) FROM tasks WHERE instance_id = :id AND state IN ('WAITING', 'DISPATCHED',"
                + " 'RUNNING')").bind("id", instanceId).mapTo(Integer.class).one();
    }

    /**
     * How the instance's tasks whose key starts with {@code prefix} ended: the last attempt of each
     * key, ordered by key. Only for instances whose tasks have all ended.
     */
    public List<TaskRow> lastAttempts(Handle h, long instanceId, String prefix) {
        Map<String, TaskRow> last = new LinkedHashMap<>();
        h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id AND task_key LIKE :prefix"
                + " ORDER BY task_key, attempt")
            .bind("id", instanceId).bind("prefix", prefix + "%").mapTo(TaskRow.class)
            .forEach(t -> last.put(t.taskKey(), t));
        return new ArrayList<>(last.values());
    }

    /** How many distinct task keys the instance has that start with {@code prefix}. */
    public int keyCount(Handle h, long instanceId, String prefix) {
        return h.createQuery("SELECT COUNT(DISTINCT task_key) FROM tasks WHERE instance_id = :id"
                + " AND task_key LIKE :prefix").bind("id", instanceId).bind("prefix", prefix + "%")
            .mapTo(Integer.class).one();
    }

    /**
     * Live tasks of a job's instances per worker, for a per-worker cap. The job's instances are
     * found among the app's active ones, so a job with a long history costs what runs now.
     */
    public Map<String, Integer> liveByWorker(Handle h, long appId, long jobId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        h.createQuery("SELECT t.worker_id AS w, COUNT(*) AS n FROM tasks t JOIN instances i ON i.id = t.instance_id"
                + " WHERE i.app_id = :app AND i.state IN ('DISPATCHED', 'RUNNING') AND i.job_id = :job"
                + " AND t.state IN ('DISPATCHED', 'RUNNING') GROUP BY t.worker_id")
            .bind("app", appId).bind("job", jobId)
            .map((rs, ctx) -> Map.entry(rs.getString("w"), rs.getInt("n")))
            .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A page of the instance's tasks, in the order they were made, optionally of some states only. */
    public List<TaskRow> page(long instanceId, Collection<String> states, int offset, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id"
                    + (states.isEmpty() ? "" : " AND state IN (<states>)") + " ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("id", instanceId).bind("limit", limit).bind("offset", offset);
            if (!states.isEmpty()) {
                q.bindList("states", List.copyOf(states));
            }
            return q.mapTo(TaskRow.class).list();
        });
    }

    public long count(long instanceId, Collection<String> states) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT COUNT(*) FROM tasks WHERE instance_id = :id"
                + (states.isEmpty() ? "" : " AND state IN (<states>)")).bind("id", instanceId);
            if (!states.isEmpty()) {
                q.bindList("states", List.copyOf(states));
            }
            return q.mapTo(Long.class).one();
        });
    }

    public Optional<TaskRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE id = :id")
            .bind("id", id).mapTo(TaskRow.class).findOne();
    }

    public Optional<TaskRow> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /**
     * Moves a live attempt to {@code state}; false when it already ended (a resent or late
     * report) or the attempt is not the one stored. Throws {@link FencedException} when the
     * lease is gone.
     */
    public boolean change(Handle h, Fence fence, long id, int attempt, String state, String result, long seq, long now) {
        return change(h, fence, id, attempt, state, result, seq, now, false);
    }

    /**
     * As {@link #change(Handle, Fence, long, int, String, String, long, long)}; {@code ran} says
     * the worker ran the attempt, so one that ends without having been seen to start started now.
     */
    public boolean change(Handle h, Fence fence, long id, int attempt, String state, String result, long seq, long now,
                          boolean ran) {
        boolean started = state.equals(RUNNING);
        boolean changed = fence.bind(h.createUpdate("UPDATE tasks SET state = :state, last_report_seq = :seq, epoch = :fenceEpoch"
                + (result != null ? ", result = :result" : "")
                + (started ? ", started_at = :now" : ", finished_at = :now")
                + (ran && !started ? ", started_at = COALESCE(started_at, :now)" : "")
                + " WHERE id = :id AND attempt = :attempt AND state IN ('WAITING', 'DISPATCHED', 'RUNNING')"
                + (started ? " AND state = 'DISPATCHED'" : "")
                + " AND " + Fence.condition(dialect)))
            .bind("state", state).bind("seq", seq).bind("result", InstanceChange.truncate(result, 4000))
            .bind("now", now).bind("id", id).bind("attempt", attempt).execute() == 1;
        if (!changed && !fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return changed;
    }

    /** The live attempts of an instance. */
    public List<TaskRow> live(Handle h, long instanceId) {
        return h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id"
                + " AND state IN ('DISPATCHED', 'RUNNING') ORDER BY id")
            .bind("id", instanceId).mapTo(TaskRow.class).list();
    }

    /**
     * Live attempts of these apps that have run past their job's timeout by {@code graceMs} at
     * {@code now} (counted from their start, or from their dispatch if they never started), oldest
     * first: one read for the whole owner however many tasks run, through the apps' live tasks.
     */
    public List<TaskRow> overdue(Collection<Long> appIds, long now, long graceMs, int limit) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE id IN ("
                + "SELECT t.id FROM tasks t JOIN instances i ON i.id = t.instance_id JOIN jobs j ON j.id = i.job_id"
                + " WHERE t.app_id IN (<apps>) AND t.state IN ('DISPATCHED', 'RUNNING') AND j.timeout_ms > 0"
                + " AND COALESCE(t.started_at, t.dispatched_at) <= :now - j.timeout_ms - :grace)"
                + " ORDER BY id LIMIT :limit")
            .bindList("apps", List.copyOf(appIds)).bind("now", now).bind("grace", graceMs).bind("limit", limit)
            .mapTo(TaskRow.class).list());
    }

    /**
     * The unfinished tasks bound to a worker of an app: its live attempts and its waiting broadcast
     * tasks. Two reads in one statement, each through the index of its own rows (the app's live
     * tasks; the waiting tasks bound to a worker), so that neither looks at the app's waiting
     * sub-tasks.
     */
    public List<TaskRow> boundToWorker(long appId, String workerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE app_id = :app"
                + " AND state IN ('DISPATCHED', 'RUNNING') AND worker_id = :worker UNION ALL SELECT " + TaskRow.COLUMNS
                + " FROM tasks WHERE app_id = :app AND state = 'WAITING' AND worker_id IS NOT NULL"
                + " AND worker_id = :worker")
            .bind("app", appId).bind("worker", workerId).mapTo(TaskRow.class).list());
    }

    /** The live attempts held by a worker of an app: read among the app's live tasks, the ones in flight. */
    public List<TaskRow> liveOnWorker(long appId, String workerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE app_id = :app"
                + " AND worker_id = :worker AND state IN ('DISPATCHED', 'RUNNING')")
            .bind("app", appId).bind("worker", workerId).mapTo(TaskRow.class).list());
    }

    /**
     * The live attempts of an app and its waiting tasks bound to a worker, for a new owner to
     * reconcile with the workers; two reads, as in {@link #boundToWorker}.
     */
    public List<TaskRow> liveOfApp(long appId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE app_id = :app"
                + " AND state IN ('DISPATCHED', 'RUNNING') UNION ALL SELECT " + TaskRow.COLUMNS + " FROM tasks"
                + " WHERE app_id = :app AND state = 'WAITING' AND worker_id IS NOT NULL")
            .bind("app", appId).mapTo(TaskRow.class).list());
    }

    public List<TaskRow> ofInstance(long instanceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id"
                + " ORDER BY attempt, id").bind("id", instanceId).mapTo(TaskRow.class).list());
    }
}
