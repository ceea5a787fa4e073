package dev.gnomon.server.store;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The tasks of map and map-reduce instances: sub-tasks emitted in batches, how many did not
 * succeed, and their results page by page. Never loads all tasks of an instance.
 */
public final class SubTaskStore {

    /** The key of a map-reduce instance's reduce step. */
    public static final String REDUCE = "reduce";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final TaskStore tasks;

    SubTaskStore(Database db, TaskStore tasks) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
        this.tasks = tasks;
    }

    /** The last sub-task batch the attempt emitted; 0 when none. */
    public long mappedThrough(Handle h, long taskId) {
        return h.createQuery("SELECT COALESCE(map_seq, 0) FROM tasks WHERE id = :id").bind("id", taskId)
            .mapTo(Long.class).findOne().orElse(0L);
    }

    /** Whether batch {@code seq} of the instance's task {@code taskKey} is stored, by whichever attempt. */
    public boolean stored(Handle h, long instanceId, String taskKey, long seq) {
        return h.createQuery("SELECT 1 FROM map_batches WHERE instance_id = :id AND task_key = :key AND seq = :seq")
            .bind("id", instanceId).bind("key", taskKey).bind("seq", seq).mapTo(Integer.class).findOne().isPresent();
    }

    /**
     * The id of the first attempt of the instance's task {@code taskKey}. Sub-task keys carry it,
     * so every attempt of a task names its sub-tasks alike.
     */
    public long firstAttemptId(Handle h, long instanceId, String taskKey) {
        return h.createQuery("SELECT id FROM tasks WHERE instance_id = :id AND task_key = :key ORDER BY attempt LIMIT 1")
            .bind("id", instanceId).bind("key", taskKey).mapTo(Long.class).one();
    }

    /**
     * Stores batch {@code seq} of the sub-tasks of the live attempt {@code parent}, in one fenced
     * batch insert. A batch is stored once per (instance, task key, seq): false when any attempt
     * of the task stored it before, or this attempt is no longer live; throws
     * {@link FencedException} when the lease is gone.
     */
    public boolean emit(Handle h, Fence fence, TaskRow parent, long seq, List<TaskStore.NewTask> batch) {
        if (stored(h, parent.instanceId(), parent.taskKey(), seq)) {
            return false;
        }
        // the mark takes the attempt's row lock: two sends of one batch are stored one after the other
        boolean marked = fence.bind(h.createUpdate("UPDATE tasks SET map_seq = :seq WHERE id = :id AND attempt = :attempt"
                + " AND COALESCE(map_seq, 0) < :seq AND state IN ('DISPATCHED', 'RUNNING') AND "
                + Fence.condition(dialect)))
            .bind("seq", seq).bind("id", parent.id()).bind("attempt", parent.attempt()).execute() == 1;
        if (!marked) {
            if (!fence.held(h, dialect)) {
                throw new FencedException(fence);
            }
            return false;
        }
        h.createUpdate("INSERT INTO map_batches (instance_id, task_key, seq, task_id) VALUES (:id, :key, :seq, :task)")
            .bind("id", parent.instanceId()).bind("key", parent.taskKey()).bind("seq", seq).bind("task", parent.id())
            .execute();
        tasks.insertWaiting(h, fence, batch);
        return true;
    }

    /**
     * Up to {@code limit} ids of live map and map-reduce instances of these apps that have tasks,
     * none of them unfinished, and no reduce step: instances whose last sub-task ended without the
     * instance taking its next step (its reduce step, or its end) yet.
     */
    public List<Long> unsettled(java.util.Collection<Long> appIds, int limit) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbi.inTransaction(h -> {
            dialect.preferIndexes(h);
            return dialect.bindIds(h.createQuery("SELECT i.id FROM instances i WHERE "
                + dialect.idIn("i.app_id", "apps") + " AND i.state IN ('DISPATCHED', 'RUNNING')"
                + " AND i.job_id IN (SELECT j.id FROM jobs j WHERE j.mode IN ('MAP', 'MAP_REDUCE'))"
                + " AND EXISTS (SELECT 1 FROM tasks t WHERE t.instance_id = i.id)"
                + " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.instance_id = i.id"
                + " AND t.state IN ('WAITING', 'DISPATCHED', 'RUNNING'))"
                + " AND NOT EXISTS (SELECT 1 FROM tasks r WHERE r.instance_id = i.id AND r.task_key = :reduce)"
                + " ORDER BY i.id LIMIT :limit"), "apps", appIds)
                .bind("reduce", REDUCE).bind("limit", limit).mapTo(Long.class).list();
        });
    }

    /** How many task keys of the instance ended without success on their last attempt (the reduce step aside). */
    public long notSucceeded(Handle h, long instanceId) {
        return h.createQuery("SELECT COUNT(*) FROM tasks t WHERE " + lastFailed()).bind("id", instanceId)
            .bind("reduce", REDUCE).mapTo(Long.class).one();
    }

    /** Up to {@code limit} of those, in the order they were made. */
    public List<TaskRow> someNotSucceeded(Handle h, long instanceId, int limit) {
        return h.createQuery("SELECT " + prefixed() + " FROM tasks t WHERE " + lastFailed() + " ORDER BY t.id LIMIT :limit")
            .bind("id", instanceId).bind("reduce", REDUCE).bind("limit", limit).mapTo(TaskRow.class).list();
    }

    /** How many distinct task keys the instance has: its root and sub-tasks, the reduce step aside. */
    public long keyCount(Handle h, long instanceId) {
        return h.createQuery("SELECT COUNT(DISTINCT task_key) FROM tasks WHERE instance_id = :id AND task_key <> :reduce")
            .bind("id", instanceId).bind("reduce", REDUCE).mapTo(Long.class).one();
    }

    /**
     * A page of the sub-tasks' results: the successful attempts of the instance other than its
     * root and reduce step, with ids above {@code afterId}, by id. Each sub-task succeeds at most
     * once, so paging through yields every result exactly once.
     */
    public List<TaskRow> results(long instanceId, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TaskRow.COLUMNS + " FROM tasks WHERE instance_id = :id"
                + " AND state = 'SUCCEEDED' AND id > :after AND task_key NOT IN (:root, :reduce) ORDER BY id LIMIT :limit")
            .bind("id", instanceId).bind("after", afterId).bind("root", TaskStore.ROOT).bind("reduce", REDUCE)
            .bind("limit", limit).mapTo(TaskRow.class).list());
    }

    private static String lastFailed() {
        return "t.instance_id = :id AND t.task_key <> :reduce AND t.state NOT IN ('SUCCEEDED', 'WAITING', 'DISPATCHED',"
            + " 'RUNNING') AND NOT EXISTS (SELECT 1 FROM tasks n WHERE n.instance_id = t.instance_id"
            + " AND n.task_key = t.task_key AND n.attempt > t.attempt)";
    }

    private static String prefixed() {
        return "t." + TaskRow.COLUMNS.replace(", ", ", t.").replace(",\n", ", t.");
    }
}
