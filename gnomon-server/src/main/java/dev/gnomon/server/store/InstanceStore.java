package dev.gnomon.server.store;

import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.NotFoundException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Instances. Every write of their state is guarded by the app's lease (decision 2). */
public final class InstanceStore {

    private static final List<String> LIVE = List.of("WAITING", "DISPATCHED", "RUNNING");
    private static final String TICK_SAVEPOINT = "gnomon_tick";
    /** MariaDB and MySQL report a duplicate key as error 1062 (SQL state 23000). */
    private static final int MARIADB_DUPLICATE_KEY = 1062;

    private final Jdbi jdbi;
    private final Dialect dialect;

    public InstanceStore(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
        jdbi.registerRowMapper(InstanceRow.class, Rows.INSTANCE);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * For a transaction of batched reads and writes by id (a dispatch or report step): makes the
     * rest of it use indexes whatever the table's statistics say ({@link Dialect#preferIndexes}).
     */
    public void preferIndexes(Handle h) {
        dialect.preferIndexes(h);
    }

    /**
     * Records a new instance under the lease. For a scheduled tick, returns empty when the tick
     * was already recorded (decision 10); throws {@link FencedException} when the lease is gone.
     */
    public Optional<Long> insert(Handle h, Fence fence, NewInstance n) {
        if (n.scheduledAt() != null && h.createQuery("SELECT COUNT(*) FROM instances WHERE job_id = :job"
                + " AND scheduled_at = :at").bind("job", n.jobId()).bind("at", n.scheduledAt())
            .mapTo(Long.class).one() > 0) {
            return Optional.empty();
        }
        if (n.scheduledAt() == null) {
            return Optional.of(insertRow(h, fence, n));
        }
        // Another server may record the same tick between the check above and the insert; the
        // unique key (job, scheduled_at) refuses the second row. The savepoint keeps the caller's
        // transaction usable on PostgreSQL, which otherwise aborts it on the failed statement.
        boolean savepoint = h.isInTransaction();
        if (savepoint) {
            h.savepoint(TICK_SAVEPOINT);
        }
        try {
            long id = insertRow(h, fence, n);
            if (savepoint) {
                h.releaseSavepoint(TICK_SAVEPOINT);
            }
            return Optional.of(id);
        } catch (UnableToExecuteStatementException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            if (savepoint) {
                h.rollbackToSavepoint(TICK_SAVEPOINT);
            }
            return Optional.empty();
        }
    }

    private long insertRow(Handle h, Fence fence, NewInstance n) {
        List<Long> ids = bindRow(fence.bind(h.createUpdate(insertSql())), n)
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).list();
        if (ids.isEmpty()) {
            throw notInserted(h, fence, n.jobId());
        }
        return ids.get(0);
    }

    /**
     * Records new instances that are not scheduled ticks (run-now requests) under the lease, in
     * one short transaction of its own: one statement for one instance, otherwise one batch. Returns
     * their ids in the given order; throws {@link FencedException} when the lease is gone.
     */
    public List<Long> insertAll(Fence fence, List<NewInstance> batch) {
        if (batch.stream().anyMatch(n -> n.requestKey() != null)) {
            // the instances and their calls' keys, all or none
            return jdbi.inTransaction(h -> insertAll(h, fence, batch));
        }
        if (batch.size() == 1) {
            // One statement commits on its own: no BEGIN and COMMIT to wait for.
            NewInstance n = checkedRunNow(batch.get(0));
            long id = jdbi.withHandle(h -> insertRow(h, fence, n));
            return List.of(id);
        }
        if (dialect == Dialect.POSTGRESQL) {
            // one statement, all or none on its own: no BEGIN and COMMIT to wait for either
            return jdbi.withHandle(h -> insertAll(h, fence, batch));
        }
        return jdbi.inTransaction(h -> insertAll(h, fence, batch));
    }

    /**
     * Records new instances that are not scheduled ticks (run-now requests) under the lease, in
     * one batch: one round trip where the driver allows it instead of one per instance. Returns
     * their ids in the given order; throws {@link FencedException} when the lease is gone.
     */
    public List<Long> insertAll(Handle h, Fence fence, List<NewInstance> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        for (NewInstance n : batch) {
            checkedRunNow(n);
        }
        if (dialect == Dialect.POSTGRESQL && batch.size() > 1) {
            List<Long> ids = insertAllAtOnce(h, fence, batch);
            insertKeys(h, batch, ids);
            return ids;
        }
        PreparedBatch insert = h.prepareBatch(insertSql());
        for (NewInstance n : batch) {
            bindRow(fence.bind(insert), n).add();
        }
        List<Long> ids = insert.executePreparedBatch("id").mapTo(Long.class).list();
        if (ids.size() != batch.size()) {
            throw notInserted(h, fence, batch.get(0).jobId());
        }
        insertKeys(h, batch, ids);
        return ids;
    }

    /**
     * {@link #insertAll(Handle, Fence, List)} on PostgreSQL: one statement over arrays of the
     * rows' values (one array per column) instead of one statement per row. It stores all the
     * rows or none, in a transaction or not.
     */
    private List<Long> insertAllAtOnce(Handle h, Fence fence, List<NewInstance> batch) {
        int n = batch.size();
        Long[] jobs = new Long[n];
        String[] states = new String[n];
        String[] triggers = new String[n];
        String[] params = new String[n];
        Integer[] maxes = new Integer[n];
        String[] reasons = new String[n];
        Long[] retryOfs = new Long[n];
        Long[] nows = new Long[n];
        for (int i = 0; i < n; i++) {
            NewInstance row = batch.get(i);
            jobs[i] = row.jobId();
            states[i] = row.state().name();
            triggers[i] = row.triggerKind();
            params[i] = row.params();
            maxes[i] = row.maxAttempts();
            reasons[i] = row.reason();
            retryOfs[i] = row.retryOf();
            nows[i] = row.now();
        }
        // Java arrays bind as SQL arrays directly; bindArray over a list costs a generic type per call
        String sql = "INSERT INTO instances (app_id, job_id, state, trigger_kind, params,"
            + " attempt, max_attempts, reason, owner_id, epoch, retry_of, created_at, updated_at)"
            + " SELECT :fenceApp, v.job, v.state, v.trigger_kind, v.params, 1, v.max_attempts, v.reason,"
            + " :fenceOwner, :fenceEpoch, v.retry_of, v.now, v.now"
            + " FROM unnest(:jobs, :states, :triggers, :params, :maxes, :reasons, :retryOfs, :nows)"
            + " WITH ORDINALITY AS v(job, state, trigger_kind, params, max_attempts, reason, retry_of, now, ord)"
            + " WHERE " + Fence.condition(dialect)
            // a job deleted meanwhile (on another server, say) gets no instance that nothing would run;
            // and since the statement commits on its own, then none of the batch gets one
            + " AND NOT EXISTS (SELECT 1 FROM unnest(:jobs) AS x(job) WHERE NOT EXISTS"
            + " (SELECT 1 FROM jobs j WHERE j.id = x.job)) ORDER BY v.ord RETURNING id";
        List<Long> ids = fence.bind(h.createQuery(sql)).bind("jobs", jobs).bind("states", states)
            .bind("triggers", triggers).bind("params", params).bind("maxes", maxes).bind("reasons", reasons)
            .bind("retryOfs", retryOfs).bind("nows", nows).mapTo(Long.class).list();
        if (ids.size() != batch.size()) {
            throw notInserted(h, fence, batch.get(0).jobId());
        }
        // the rows take their ids in the order the SELECT yields them (ORDER BY), whatever order RETURNING uses
        List<Long> inOrder = new ArrayList<>(ids);
        inOrder.sort(null);
        return inOrder;
    }

    /**
     * Records a run-now instance already dispatched to {@code workerId} (state, worker and start
     * time set from the first), under the lease, in the caller's transaction, unless the job has an
     * instance waiting or {@code maxActive} holding a worker slot: all in one statement. Returns its
     * id, or empty when the job's instances stopped it (or the job is gone); throws
     * {@link FencedException} when the lease is gone.
     */
    public Optional<Long> insertStarted(Handle h, Fence fence, NewInstance n, String workerId, int maxActive) {
        checkedRunNow(n);
        List<Long> ids = bindRow(fence.bind(h.createUpdate(startedSql())), n).bind("worker", workerId)
            .bind("maxActive", maxActive).executeAndReturnGeneratedKeys("id").mapTo(Long.class).list();
        if (!ids.isEmpty()) {
            insertKeys(h, List.of(n), ids);
            return Optional.of(ids.get(0));
        }
        if (!fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return Optional.empty();
    }

    /** Whether {@link #insertStartedWithRoot} may be used: the database takes an insert into two tables in one statement. */
    public boolean startsInOneStatement() {
        return dialect == Dialect.POSTGRESQL;
    }

    /**
     * As {@link #insertStarted}, and the instance's root task dispatched to the same worker, in one
     * statement that commits on its own (call it outside a transaction): one round trip to the
     * database for a run-now that starts at once. Returns the instance's and the task's ids.
     * Only where {@link #startsInOneStatement()}.
     */
    public Optional<long[]> insertStartedWithRoot(Handle h, Fence fence, NewInstance n, String workerId, int maxActive,
                                                  String rootKey) {
        if (!startsInOneStatement()) {
            throw new IllegalStateException("one-statement starts need PostgreSQL, not " + dialect);
        }
        checkedRunNow(n);
        String sql = "WITH i AS (" + startedSql() + " RETURNING id)"
            // the call's key, if any, in the same statement: all three rows or none
            + (n.requestKey() == null ? "" : ", k AS (INSERT INTO run_keys (job_id, request_key, instance_ids,"
                + " created_at) SELECT :job, :requestKey, CAST(i.id AS VARCHAR(20)), :now FROM i)")
            + " INSERT INTO tasks (instance_id, app_id, task_key,"
            + " attempt, state, worker_id, last_report_seq, epoch, dispatched_at) SELECT i.id, :fenceApp, :rootKey, 1,"
            + " 'DISPATCHED', :worker, 0, :fenceEpoch, :now FROM i RETURNING instance_id, id";
        Optional<long[]> ids = keyed(n.jobId(), () -> bindRow(fence.bind(h.createQuery(sql)), n)
            .bind("worker", workerId).bind("maxActive", maxActive).bind("rootKey", rootKey)
            .bind("requestKey", n.requestKey())
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne());
        if (ids.isEmpty() && !fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return ids;
    }

    private static NewInstance checkedRunNow(NewInstance n) {
        if (n.scheduledAt() != null) {
            throw new IllegalArgumentException("a scheduled tick is recorded by insert, which checks it is new");
        }
        return n;
    }

    private String insertSql() {
        return insertSql(false);
    }

    /** A started run-now's insert: only if its job has none waiting and fewer than {@code :maxActive} active. */
    private String startedSql() {
        return insertSql(true)
            // read through the app's live index, so that the job's ended instances cost nothing
            + " AND NOT EXISTS (SELECT 1 FROM instances w WHERE w.app_id = :fenceApp AND w.state = 'WAITING'"
            + " AND w.job_id = :job)"
            + " AND (SELECT COUNT(*) FROM instances a WHERE a.app_id = :fenceApp AND a.state IN ('DISPATCHED', 'RUNNING')"
            + " AND a.job_id = :job) < :maxActive";
    }

    /** With {@code started}, the row also names its worker ({@code :worker}) and its start time (now). */
    private String insertSql(boolean started) {
        return "INSERT INTO instances (app_id, job_id, state, trigger_kind, scheduled_at, params, attempt,"
            + " max_attempts, reason, owner_id, epoch, retry_of, created_at, updated_at"
            + (started ? ", worker_id, started_at" : "") + ") SELECT :fenceApp, :job,"
            + " :state, :trigger, :at, :params, 1, :max, :reason, :fenceOwner, :fenceEpoch, :retryOf, :now, :now"
            + (started ? ", :worker, :now" : "")
            + " FROM app_leases l WHERE l.app_id = :fenceApp AND l.part = 0 AND l.owner_id = :fenceOwner"
            + " AND l.epoch = :fenceEpoch AND l.expires_at > " + dialect.nowMillis()
            // a job deleted meanwhile (on another server, say) gets no instance that nothing would run
            + " AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = :job)";
    }

    /** Why an instance insert stored nothing: the lease is gone, or the job is. */
    private RuntimeException notInserted(Handle h, Fence fence, long jobId) {
        if (!fence.held(h, dialect)) {
            return new FencedException(fence);
        }
        return new NotFoundException("no job with id " + jobId + " (it was deleted)");
    }

    private static <T extends SqlStatement<T>> T bindRow(T statement, NewInstance n) {
        return statement.bind("job", n.jobId()).bind("state", n.state().name()).bind("trigger", n.triggerKind())
            .bind("at", n.scheduledAt()).bind("params", n.params()).bind("max", n.maxAttempts())
            .bind("reason", n.reason()).bind("retryOf", n.retryOf()).bind("now", n.now());
    }

    /**
     * Records the key of each call among {@code rows} that carried one, with its instances' ids in
     * order: one row per call, however many instances it made. A row whose {@link NewInstance#callRow()}
     * is 0 starts a call; the rows after it with the same key are the rest of that call. Must run in
     * the transaction that inserted the rows, so that both are stored or neither.
     *
     * @throws DuplicateRunException when the job already holds one of the keys; nothing is stored
     */
    private void insertKeys(Handle h, List<NewInstance> rows, List<Long> ids) {
        PreparedBatch insert = null;
        for (int i = 0; i < rows.size(); i++) {
            NewInstance first = rows.get(i);
            if (first.requestKey() == null) {
                continue;
            }
            if (first.callRow() != 0) {
                throw new IllegalArgumentException("row " + i + " continues a call (callRow " + first.callRow()
                    + ") that no row before it started");
            }
            if (!h.isInTransaction()) {
                throw new IllegalStateException("a call's key is recorded in the transaction of its instances");
            }
            StringBuilder made = new StringBuilder().append(ids.get(i));
            while (i + 1 < rows.size() && rows.get(i + 1).callRow() != 0
                   && first.requestKey().equals(rows.get(i + 1).requestKey())) {
                i++;
                made.append(',').append(ids.get(i));
            }
            if (insert == null) {
                insert = h.prepareBatch("INSERT INTO run_keys (job_id, request_key, instance_ids, created_at)"
                    + " VALUES (:job, :key, :ids, :now)");
            }
            insert.bind("job", first.jobId()).bind("key", first.requestKey()).bind("ids", made.toString())
                .bind("now", first.now()).add();
        }
        if (insert != null) {
            PreparedBatch keys = insert;
            keyed(rows.get(0).jobId(), keys::execute);
        }
    }

    /**
     * Runs a statement that records a call's key; when the database refuses it as a duplicate,
     * throws {@link DuplicateRunException} instead (the statement stored nothing).
     */
    private static <T> T keyed(long jobId, Supplier<T> insert) {
        try {
            return insert.get();
        } catch (JdbiException e) {
            if (isUniqueViolation(e)) {
                throw new DuplicateRunException(jobId);
            }
            throw e;
        }
    }

    /**
     * Deletes at most {@code limit} calls' keys recorded before {@code recordedBefore}, oldest
     * first; returns how many. A call sent again after that is a new call.
     */
    public int forgetRunKeys(long recordedBefore, int limit) {
        return jdbi.inTransaction(h -> {
            List<Map.Entry<Long, String>> doomed = h.createQuery("SELECT job_id, request_key FROM run_keys"
                    + " WHERE created_at < :cut ORDER BY created_at LIMIT :limit")
                .bind("cut", recordedBefore).bind("limit", limit)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).list();
            if (doomed.isEmpty()) {
                return 0;
            }
            PreparedBatch delete = h.prepareBatch("DELETE FROM run_keys WHERE job_id = :job AND request_key = :key");
            for (Map.Entry<Long, String> key : doomed) {
                delete.bind("job", key.getKey()).bind("key", key.getValue()).add();
            }
            delete.execute();
            return doomed.size();
        });
    }

    /**
     * The instances the job's call with this idempotency key made, in the call's order, or empty
     * when it made none. Any server may read them: a call's key is committed before it is answered.
     */
    public Optional<List<InstanceRow>> madeByCall(long jobId, String requestKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT instance_ids FROM run_keys WHERE job_id = :job"
                + " AND request_key = :key").bind("job", jobId).bind("key", requestKey).mapTo(String.class).findOne()
            .map(text -> {
                List<Long> ids = new ArrayList<>();
                for (String id : text.split(",")) {
                    ids.add(Long.parseLong(id));
                }
                // one read for the call's instances, however many, put back in the call's order
                Map<Long, InstanceRow> found = findAll(h, ids);
                List<InstanceRow> made = new ArrayList<>(ids.size());
                for (long id : ids) {
                    if (found.containsKey(id)) {
                        made.add(found.get(id));
                    }
                }
                return made;
            }));
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                && ("23505".equals(sql.getSQLState()) || sql.getErrorCode() == MARIADB_DUPLICATE_KEY)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies a state change if the instance is in one of {@code from} and the lease holds.
     * Returns false when the instance moved on first.
     */
    public boolean change(Handle h, Fence fence, long id, Collection<InstanceState> from, InstanceChange change, long now) {
        StringBuilder sql = new StringBuilder("UPDATE instances SET state = :to, updated_at = :now,"
            + " owner_id = :fenceOwner, epoch = :fenceEpoch");
        for (String column : change.sets().keySet()) {
            sql.append(", ").append(column).append(" = :").append(column);
        }
        sql.append(" WHERE id = :id AND state IN (<from>) AND ").append(Fence.condition(dialect));
        var update = fence.bind(h.createUpdate(sql.toString()))
            .bind("to", change.state().name()).bind("now", now).bind("id", id)
            .bindList("from", from.stream().map(Enum::name).toList());
        for (Map.Entry<String, Object> e : change.sets().entrySet()) {
            update.bindByType(e.getKey(), e.getValue(), e.getValue() == null ? Object.class : e.getValue().getClass());
        }
        if (update.execute() == 1) {
            return true;
        }
        if (!fence.held(h, dialect)) {
            throw new FencedException(fence);
        }
        return false;
    }

    /** One change of a batch: instance {@code id}, if it is {@code from} and the lease holds, gets {@code change}. */
    public record StagedChange(Fence fence, long id, InstanceState from, InstanceChange change) {
    }

    /**
     * Applies many state changes in one round trip per shape of change (JDBC batches) instead of
     * one statement each. Returns the ids of the changes that did not apply because their instance
     * had moved on; throws {@link FencedException} when a change failed because its lease is gone.
     */
    public Set<Long> changeAll(Handle h, List<StagedChange> changes, long now) {
        Map<String, List<StagedChange>> shapes = new LinkedHashMap<>();
        for (StagedChange c : changes) {
            String shape = c.from().name() + "|" + String.join(",", c.change().sets().keySet());
            shapes.computeIfAbsent(shape, k -> new ArrayList<>()).add(c);
        }
        Set<Long> missed = new HashSet<>();
        for (List<StagedChange> group : shapes.values()) {
            StagedChange first = group.get(0);
            if (dialect == Dialect.POSTGRESQL && COLUMN_TYPES.keySet().containsAll(first.change().sets().keySet())) {
                Map<Fence, List<StagedChange>> byFence = new LinkedHashMap<>();
                for (StagedChange c : group) {
                    byFence.computeIfAbsent(c.fence(), f -> new ArrayList<>()).add(c);
                }
                byFence.forEach((fence, part) -> missed.addAll(changeAllAtOnce(h, fence, first.from(), part, now)));
                continue;
            }
            StringBuilder sql = new StringBuilder("UPDATE instances SET state = :to, updated_at = :now,"
                + " owner_id = :fenceOwner, epoch = :fenceEpoch");
            for (String column : first.change().sets().keySet()) {
                sql.append(", ").append(column).append(" = :").append(column);
            }
            sql.append(" WHERE id = :id AND state = '").append(first.from().name()).append("' AND ")
                .append(Fence.condition(dialect));
            PreparedBatch batch = h.prepareBatch(sql.toString());
            for (StagedChange c : group) {
                c.fence().bind(batch).bind("to", c.change().state().name()).bind("now", now).bind("id", c.id());
                for (Map.Entry<String, Object> e : c.change().sets().entrySet()) {
                    batch.bindByType(e.getKey(), e.getValue(), e.getValue() == null ? Object.class : e.getValue().getClass());
                }
                batch.add();
            }
            int[] counts = batch.execute();
            for (int i = 0; i < group.size(); i++) {
                // a driver that reports no count (SUCCESS_NO_INFO) is not trusted: the caller re-checks
                if (counts[i] != 1) {
                    missed.add(group.get(i).id());
                    if (!group.get(i).fence().held(h, dialect)) {
                        throw new FencedException(group.get(i).fence());
                    }
                }
            }
        }
        return missed;
    }

    /** The element type of each column a change may set, for binding a column's values as one array. */
    private static final Map<String, Class<?>> COLUMN_TYPES = Map.of("worker_id", String.class, "result", String.class,
        "reason", String.class, "attempt", Integer.class, "started_at", Long.class, "finished_at", Long.class,
        "next_attempt_at", Long.class);

    /**
     * {@link #changeAll} on PostgreSQL for changes of one shape under one lease: one statement
     * over arrays of their values (one array per column), returning the ids it changed.
     */
    private Set<Long> changeAllAtOnce(Handle h, Fence fence, InstanceState from, List<StagedChange> part, long now) {
        List<String> columns = List.copyOf(part.get(0).change().sets().keySet());
        StringBuilder sql = new StringBuilder("UPDATE instances i SET state = v.to_state, updated_at = :now,"
            + " owner_id = :fenceOwner, epoch = :fenceEpoch");
        StringBuilder arrays = new StringBuilder(":ids, :tos");
        StringBuilder names = new StringBuilder("id, to_state");
        for (int c = 0; c < columns.size(); c++) {
            sql.append(", ").append(columns.get(c)).append(" = v.c").append(c);
            arrays.append(", :c").append(c);
            names.append(", c").append(c);
        }
        sql.append(" FROM unnest(").append(arrays).append(") AS v(").append(names).append(")")
            .append(" WHERE i.id = v.id AND i.state = '").append(from.name()).append("' AND ")
            .append(Fence.condition(dialect)).append(" RETURNING i.id");
        List<Long> ids = part.stream().map(StagedChange::id).toList();
        var query = fence.bind(h.createQuery(sql.toString())).bind("now", now)
            .bindArray("ids", Long.class, ids)
            .bindArray("tos", String.class, part.stream().map(c -> c.change().state().name()).toList());
        for (int c = 0; c < columns.size(); c++) {
            String column = columns.get(c);
            List<Object> values = new ArrayList<>(part.size());
            for (StagedChange change : part) {
                values.add(change.change().sets().get(column));
            }
            query.bindArray("c" + c, COLUMN_TYPES.get(column), values);
        }
        return fence.missed(h, dialect, ids, query.mapTo(Long.class).list());
    }

    /** The instances with these ids that exist, by id. */
    public Map<Long, InstanceRow> findAll(Handle h, Collection<Long> ids) {
        Map<Long, InstanceRow> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        dialect.bindIds(h.createQuery("SELECT " + InstanceRow.COLUMNS + " FROM instances WHERE "
            + dialect.idIn("id", "ids")), "ids", ids).mapTo(InstanceRow.class).forEach(r -> out.put(r.id(), r));
        return out;
    }

    public Optional<InstanceRow> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    public Optional<InstanceRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + InstanceRow.COLUMNS + " FROM instances WHERE id = :id")
            .bind("id", id).mapTo(InstanceRow.class).findOne();
    }

    public InstanceRow get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("no instance with id " + id));
    }

    public List<InstanceRow> list(InstanceQuery q) {
        return jdbi.withHandle(h -> filter(h, "SELECT " + InstanceRow.COLUMNS, q,
            " ORDER BY id DESC LIMIT :limit OFFSET :offset").bind("limit", q.limit()).bind("offset", q.offset())
            .mapTo(InstanceRow.class).list());
    }

    public long count(InstanceQuery q) {
        return jdbi.withHandle(h -> filter(h, "SELECT COUNT(*)", q, "").mapTo(Long.class).one());
    }

    private static Query filter(Handle h, String select, InstanceQuery q, String tail) {
        List<String> where = new ArrayList<>();
        if (q.appId() != null) {
            where.add("app_id = :app");
        }
        if (q.jobId() != null) {
            where.add("job_id = :job");
        }
        if (q.states() != null && !q.states().isEmpty()) {
            where.add("state IN (<states>)");
        }
        String sql = select + " FROM instances" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + tail;
        // Bind only what the SQL names: Jdbi refuses bindings a query without parameters does not use.
        Query query = h.createQuery(sql);
        if (q.appId() != null) {
            query.bind("app", q.appId());
        }
        if (q.jobId() != null) {
            query.bind("job", q.jobId());
        }
        if (q.states() != null && !q.states().isEmpty()) {
            query.bindList("states", q.states().stream().map(Enum::name).collect(Collectors.toList()));
        }
        return query;
    }

    /** Live instances of these apps, oldest first: what the owner must look after. */
    public List<InstanceRow> live(Collection<Long> appIds, int limit) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + InstanceRow.COLUMNS + " FROM instances"
                + " WHERE app_id IN (<apps>) AND state IN (<live>) ORDER BY id LIMIT :limit")
            .bindList("apps", appIds).bindList("live", LIVE).bind("limit", limit).mapTo(InstanceRow.class).list());
    }

    /** Waiting instances of these apps whose retry time, if any, has come; oldest first. */
    public List<InstanceRow> waiting(Collection<Long> appIds, long now, int limit) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> dialect.bindIds(h.createQuery(dialect.oldestPerApp(InstanceRow.COLUMNS, "instances",
                "state = 'WAITING' AND (next_attempt_at IS NULL OR next_attempt_at <= :now)")), "apps", appIds)
            .bind("now", now).bind("limit", limit).mapTo(InstanceRow.class).list());
    }

    /**
     * Live instances of a job (waiting, dispatched or running), found among the app's live ones:
     * a job with a long history costs what is live now, not every instance it ever had.
     */
    public int liveCount(Handle h, long appId, long jobId) {
        return h.createQuery("SELECT COUNT(*) FROM instances WHERE app_id = :app AND state IN (<live>) AND job_id = :job")
            .bind("app", appId).bind("job", jobId).bindList("live", LIVE).mapTo(Integer.class).one();
    }

    /**
     * Live instances of a job, counted up to {@code cap} only: enough to tell whether the job is at
     * its limit without reading a long queue. Read like {@link #liveCount(Handle, long, long)}.
     */
    public int liveCount(Handle h, long appId, long jobId, int cap) {
        return h.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM instances WHERE app_id = :app AND state IN (<live>)"
                + " AND job_id = :job LIMIT :cap) capped")
            .bind("app", appId).bind("job", jobId).bindList("live", LIVE).bind("cap", cap).mapTo(Integer.class).one();
    }

    /**
     * Instances of a job that hold a worker slot (dispatched or running). Read through the app's
     * live index, so that it costs the app's active instances, not every instance the job ever had.
     */
    public int activeCount(Handle h, long appId, long jobId) {
        return h.createQuery("SELECT COUNT(*) FROM instances WHERE app_id = :app AND state IN ('DISPATCHED', 'RUNNING')"
                + " AND job_id = :job")
            .bind("app", appId).bind("job", jobId).mapTo(Integer.class).one();
    }
}
