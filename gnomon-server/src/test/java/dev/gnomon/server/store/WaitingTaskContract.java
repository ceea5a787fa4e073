package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.InstanceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tasks made before they are dispatched (shards, broadcast tasks): written in fenced batches,
 * sent once, counted and paged the same on every database.
 */
interface WaitingTaskContract extends StoreFixture {

    private void insertWaiting(Fence fence, List<TaskStore.NewTask> batch) {
        db().jdbi().useTransaction(h -> stores().tasks().insertWaiting(h, fence, batch));
    }

    private static List<TaskStore.NewTask> shards(long instanceId, int n) {
        List<TaskStore.NewTask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TaskStore.NewTask(instanceId, TaskStore.SHARD_PREFIX + i, 1, null, "p" + i, null));
        }
        return out;
    }

    @Test
    default void aBatchOfWaitingTasksIsStoredAndEachIsAssignedOnce() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        insertWaiting(fence, shards(instanceId, 300));

        List<TaskRow> waiting = stores().tasks().waiting(Set.of(appId), 5_000, 1_000);
        assertThat(waiting).hasSize(300).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TaskStore.WAITING);
            assertThat(t.workerId()).isNull();
            assertThat(t.params()).isEqualTo("p" + t.shardIndex());
        });
        long first = waiting.get(0).id();
        boolean once = db().jdbi().inTransaction(h -> stores().tasks().assign(h, fence, first, "w1", 5_000));
        boolean twice = db().jdbi().inTransaction(h -> stores().tasks().assign(h, fence, first, "w2", 5_100));
        assertThat(once).isTrue();
        assertThat(twice).isFalse();
        TaskRow sent = stores().tasks().find(first).orElseThrow();
        assertThat(sent.state()).isEqualTo(TaskStore.DISPATCHED);
        assertThat(sent.workerId()).isEqualTo("w1");
        assertThat(sent.dispatchedAt()).isEqualTo(5_000L);
        assertThat(stores().tasks().waiting(Set.of(appId), 5_000, 1_000)).hasSize(299);
        int keys = db().jdbi().withHandle(h -> stores().tasks().keyCount(h, instanceId, TaskStore.SHARD_PREFIX));
        assertThat(keys).isEqualTo(300);
    }

    @Test
    default void aBatchUnderALostLeaseThrowsAndStoresNothing() {
        long appId = newApp();
        Fence old = own(appId, SERVER_1, LONG_LEASE_MS);
        long instanceId = instance(old, newJob(appId).id(), InstanceState.DISPATCHED);
        stores().leases().release(appId, SERVER_1, old.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> insertWaiting(old, shards(instanceId, 5))).isInstanceOf(FencedException.class);
        assertThat(countRows("SELECT COUNT(*) FROM tasks WHERE instance_id = ?", instanceId)).isZero();
    }

    @Test
    default void aRetryWaitsForItsTimeAndABoundTaskBelongsToItsWorker() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        insertWaiting(fence, List.of(new TaskStore.NewTask(instanceId, "shard-0", 2, null, "p", 9_000L),
            new TaskStore.NewTask(instanceId, "worker-w1", 1, "w1", null, null)));

        assertThat(stores().tasks().waiting(Set.of(appId), 8_999, 10)).extracting(TaskRow::taskKey)
            .containsExactly("worker-w1");
        assertThat(stores().tasks().waiting(Set.of(appId), 9_000, 10)).extracting(TaskRow::taskKey)
            .containsExactly("shard-0", "worker-w1");
        assertThat(stores().tasks().boundToWorker(appId, "w1")).extracting(TaskRow::taskKey)
            .containsExactly("worker-w1");
        assertThat(stores().tasks().liveOnWorker(appId, "w1")).isEmpty();
        assertThat(stores().tasks().liveOfApp(appId)).extracting(TaskRow::taskKey).containsExactly("worker-w1");
    }

    @Test
    default void countsPagesLastAttemptsAndEndingTheWaitingOnes() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        long instanceId = instance(fence, jobId, InstanceState.DISPATCHED);
        insertWaiting(fence, shards(instanceId, 4));
        List<TaskRow> made = stores().tasks().waiting(Set.of(appId), 5_000, 10);
        db().jdbi().useTransaction(h -> {
            stores().tasks().assign(h, fence, made.get(0).id(), "w1", 5_000);
            stores().tasks().assign(h, fence, made.get(1).id(), "w1", 5_000);
            stores().tasks().change(h, fence, made.get(1).id(), 1, "FAILED", "boom", 2, 6_000);
            stores().tasks().insertWaiting(h, fence, List.of(new TaskStore.NewTask(instanceId, "shard-1", 2, null,
                "p1", null)));
        });

        assertThat(stores().tasks().countsByState(instanceId))
            .containsExactlyInAnyOrderEntriesOf(Map.of("DISPATCHED", 1L, "FAILED", 1L, "WAITING", 3L));
        int unfinished = db().jdbi().withHandle(h -> stores().tasks().unfinished(h, instanceId));
        Map<String, Integer> byWorker = db().jdbi().withHandle(h -> stores().tasks().liveByWorker(h, appId, jobId));
        List<TaskRow> last = db().jdbi().withHandle(h -> stores().tasks().lastAttempts(h, instanceId, "shard-"));
        assertThat(unfinished).isEqualTo(4);
        assertThat(byWorker).containsExactlyEntriesOf(Map.of("w1", 1));
        assertThat(last).extracting(TaskRow::taskKey, TaskRow::attempt)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("shard-0", 1),
                org.assertj.core.groups.Tuple.tuple("shard-1", 2), org.assertj.core.groups.Tuple.tuple("shard-2", 1),
                org.assertj.core.groups.Tuple.tuple("shard-3", 1));
        assertThat(stores().tasks().page(instanceId, List.of("WAITING", "FAILED"), 1, 2))
            .extracting(TaskRow::taskKey).containsExactly("shard-2", "shard-3");
        assertThat(stores().tasks().count(instanceId, List.of("WAITING", "FAILED"))).isEqualTo(4);
        assertThat(stores().tasks().count(instanceId, List.of())).isEqualTo(5);

        int ended = db().jdbi().inTransaction(h -> stores().tasks().endWaiting(h, fence, instanceId,
            TaskStore.STOPPED, "stopped", 7_000));
        assertThat(ended).isEqualTo(3);
        assertThat(stores().tasks().countsByState(instanceId))
            .containsExactlyInAnyOrderEntriesOf(Map.of("DISPATCHED", 1L, "FAILED", 1L, "STOPPED", 3L));
    }

    @Test
    default void waitingMergesTheOldestWaitingTasksOfEveryAppInIdOrder() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        long first = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        long other = instance(otherFence, newJob(otherAppId).id(), InstanceState.DISPATCHED);
        long second = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        insertWaiting(fence, shards(first, 2));
        insertWaiting(otherFence, shards(other, 2));
        insertWaiting(fence, shards(second, 2));
        long thirdAppId = newApp();
        Fence thirdFence = own(thirdAppId);
        insertWaiting(thirdFence, shards(instance(thirdFence, newJob(thirdAppId).id(), InstanceState.DISPATCHED), 1));
        List<TaskRow> all = stores().tasks().waiting(Set.of(appId, otherAppId), 5_000, 10);
        boolean taken = db().jdbi().inTransaction(h -> stores().tasks().assign(h, fence, all.get(0).id(), "w1", 5_000));

        assertThat(taken).isTrue();
        assertThat(all).extracting(TaskRow::instanceId).containsExactly(first, first, other, other, second, second);
        assertThat(all).extracting(TaskRow::id).isSorted();
        assertThat(stores().tasks().waiting(Set.of(appId, otherAppId), 5_000, 3)).extracting(TaskRow::id)
            .containsExactly(all.get(1).id(), all.get(2).id(), all.get(3).id());
        assertThat(stores().tasks().waiting(Set.of(otherAppId), 5_000, 10)).extracting(TaskRow::instanceId)
            .containsExactly(other, other);
        assertThat(stores().tasks().waiting(Set.of(), 5_000, 10)).isEmpty();
    }

    @Test
    default void waitingTasksAreReadFromAGivenIdOn() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        insertWaiting(fence, shards(instance(fence, newJob(appId).id(), InstanceState.DISPATCHED), 3));
        insertWaiting(otherFence, shards(instance(otherFence, newJob(otherAppId).id(), InstanceState.DISPATCHED), 3));
        Set<Long> apps = Set.of(appId, otherAppId);
        List<Long> all = stores().tasks().waiting(apps, 5_000, 10).stream().map(TaskRow::id).toList();
        List<Long> mine = stores().tasks().waiting(Set.of(appId), 5_000, 10).stream().map(TaskRow::id).toList();
        List<Long> others = stores().tasks().waiting(Set.of(otherAppId), 5_000, 10).stream().map(TaskRow::id).toList();

        List<Long> oneNamed = stores().tasks().waiting(apps, Map.of(appId, mine.get(2)), 5_000, 10).stream()
            .map(TaskRow::id).toList();
        List<Long> bothNamed = stores().tasks().waiting(apps, Map.of(appId, mine.get(2), otherAppId, others.get(1)),
            5_000, 10).stream().map(TaskRow::id).toList();

        if (db().dialect() == Dialect.POSTGRESQL) {
            // each app from its own id on
            assertThat(oneNamed).containsExactlyElementsOf(all.stream()
                .filter(id -> !mine.contains(id) || id >= mine.get(2)).toList());
            assertThat(bothNamed).containsExactly(mine.get(2), others.get(1), others.get(2));
        } else {
            // from the lowest named for all: an app not named starts at the first row
            assertThat(oneNamed).containsExactlyElementsOf(all);
            long lowest = Math.min(mine.get(2), others.get(1));
            assertThat(bothNamed).containsExactlyElementsOf(all.stream().filter(id -> id >= lowest).toList());
        }
        assertThat(stores().tasks().waiting(apps, Map.of(appId, all.get(all.size() - 1) + 1, otherAppId,
            all.get(all.size() - 1) + 1), 5_000, 10)).isEmpty();
    }

    @Test
    default void theReadWithDelayedTasksFindsADueRetryBelowTheMarks() {
        long appId = newApp();
        Fence fence = own(appId);
        long instanceId = instance(fence, newJob(appId).id(), InstanceState.DISPATCHED);
        insertWaiting(fence, List.of(new TaskStore.NewTask(instanceId, "shard-9", 2, null, "p", 9_000L)));
        insertWaiting(fence, shards(instanceId, 3));
        List<Long> all = ids(stores().tasks().waiting(Set.of(appId), 9_000, 10));
        long retry = all.get(0);
        Map<Long, Long> mark = Map.of(appId, all.get(2));

        List<Long> notDue = ids(stores().tasks().waitingWithDelayed(Set.of(appId), mark, 8_999, 10));
        List<Long> due = ids(stores().tasks().waitingWithDelayed(Set.of(appId), mark, 9_000, 10));
        List<Long> dueTwo = ids(stores().tasks().waitingWithDelayed(Set.of(appId), mark, 9_000, 2));
        List<Long> fromMark = ids(stores().tasks().waiting(Set.of(appId), mark, 9_000, 10));

        assertThat(all).hasSize(4);
        if (db().dialect() == Dialect.POSTGRESQL) {
            // from the mark, and the due retry below it; never the one in between (sent, as far as the mark knows)
            assertThat(notDue).containsExactly(all.get(2), all.get(3));
            assertThat(due).containsExactly(retry, all.get(2), all.get(3));
            assertThat(dueTwo).containsExactly(retry, all.get(2));
            assertThat(fromMark).containsExactly(all.get(2), all.get(3));
        } else {
            // from the first waiting task
            assertThat(notDue).containsExactly(all.get(1), all.get(2), all.get(3));
            assertThat(due).containsExactlyElementsOf(all);
            assertThat(dueTwo).containsExactly(retry, all.get(1));
        }
        assertThat(ids(stores().tasks().waitingWithDelayed(Set.of(appId), Map.of(), 8_999, 10)))
            .containsExactly(all.get(1), all.get(2), all.get(3));
    }

    private static List<Long> ids(List<TaskRow> rows) {
        return rows.stream().map(TaskRow::id).toList();
    }

    @Test
    default void onPostgresqlWaitingRowsAreReadThroughTheirOwnIndex() {
        if (db().dialect() != Dialect.POSTGRESQL) {
            return;
        }
        // the plan a pass's read gets when PostgreSQL does not count on scanning the table (as with
        // the statistics of a large map in flight): the waiting rows' own index, not the primary key
        String tasks = explain("EXPLAIN SELECT id FROM tasks WHERE app_id = 1 AND state = 'WAITING'"
            + " AND (not_before IS NULL OR not_before <= 5000) ORDER BY id LIMIT 100");
        String instances = explain("EXPLAIN SELECT id FROM instances WHERE app_id = 1 AND state = 'WAITING'"
            + " AND (next_attempt_at IS NULL OR next_attempt_at <= 5000) ORDER BY id LIMIT 100");
        String fromAnId = explain("EXPLAIN SELECT id FROM tasks WHERE app_id = 1 AND id >= 5000 AND state = 'WAITING'"
            + " AND (not_before IS NULL OR not_before <= 5000) ORDER BY id LIMIT 100");
        String delayed = explain("EXPLAIN SELECT id FROM tasks WHERE app_id = 1 AND state = 'WAITING'"
            + " AND not_before IS NOT NULL AND not_before <= 5000 ORDER BY id LIMIT 100");
        assertThat(tasks).contains("tasks_waiting_by_id");
        assertThat(fromAnId).contains("tasks_waiting_by_id").contains("id >= 5000");
        assertThat(delayed).contains("tasks_delayed");
        assertThat(instances).contains("instances_waiting_by_id");
    }

    @Test
    default void onPostgresqlTheReadsOfLiveTasksUseTheIndexesOfLiveRows() {
        if (db().dialect() != Dialect.POSTGRESQL) {
            return;
        }
        // the indexes of V11 and V14 hold live rows and bound waiting rows only; these are the
        // statements that must be able to use them (TaskStore's reads of a worker's and an app's tasks)
        String lost = explain("EXPLAIN SELECT id FROM tasks WHERE app_id = 1 AND state IN ('DISPATCHED', 'RUNNING')"
            + " AND worker_id = 'w-1' UNION ALL SELECT id FROM tasks WHERE app_id = 1 AND state = 'WAITING'"
            + " AND worker_id IS NOT NULL AND worker_id = 'w-1'");
        String running = explain("EXPLAIN SELECT id FROM tasks WHERE app_id = 1 AND worker_id = 'w-1'"
            + " AND state IN ('DISPATCHED', 'RUNNING')");
        String fenced = explain("EXPLAIN UPDATE tasks SET epoch = 2 WHERE app_id = 1 AND state IN ('DISPATCHED', 'RUNNING')");
        String bound = explain("EXPLAIN SELECT id FROM tasks WHERE app_id = 1 AND state IN ('DISPATCHED', 'RUNNING')"
            + " UNION ALL SELECT id FROM tasks WHERE app_id = 1 AND state = 'WAITING' AND worker_id IS NOT NULL");
        assertThat(lost).contains("tasks_live").contains("tasks_worker").doesNotContain("Seq Scan");
        assertThat(running).contains("tasks_live");
        assertThat(fenced).contains("tasks_live");
        assertThat(bound).contains("tasks_live").contains("tasks_worker").doesNotContain("Seq Scan");
        // an ended task is in neither; a task waiting for any worker, or dispatched, is not in tasks_worker
        List<String> predicates = db().jdbi().withHandle(h -> h.createQuery("SELECT pg_get_expr(i.indpred, i.indrelid)"
            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('tasks_live', 'tasks_worker')"
            + " ORDER BY c.relname").mapTo(String.class).list());
        assertThat(predicates).hasSize(2).allSatisfy(p -> assertThat(p).doesNotContain("SUCCEEDED"));
        assertThat(predicates.get(1)).contains("worker_id IS NOT NULL").contains("WAITING").doesNotContain("DISPATCHED");
    }

    private String explain(String sql) {
        return db().jdbi().inTransaction(h -> {
            h.execute("SET LOCAL enable_seqscan = off");
            return String.join("\n", h.createQuery(sql).mapTo(String.class).list());
        });
    }
}
