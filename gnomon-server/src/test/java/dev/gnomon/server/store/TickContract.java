package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.Test;

/** Decision 10: each tick fires once, whoever records it and however the inserts interleave. */
interface TickContract extends StoreFixture {

    int RACERS = 4;
    int RACES = 10;

    @Test
    default void sameTickRecordedTwiceIsStoredOnce() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();

        Optional<Long> first = insert(fence, tick(jobId, 120_000L));
        Optional<Long> second = insert(fence, tick(jobId, 120_000L));

        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isEqualTo(1);
        assertThat(insert(fence, tick(jobId, 180_000L))).isPresent().isNotEqualTo(first);
    }

    @Test
    default void apiInstancesWithoutATickMayBeMany() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();

        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(insert(fence, tick(jobId, null)).orElseThrow());
        }

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ? AND scheduled_at IS NULL", jobId))
            .isEqualTo(3);
    }

    @Test
    default void tickCommittedAfterTheCheckerLookedIsStillStoredOnce() throws Exception {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();

        Optional<Long> late = db().jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            // This transaction's snapshot is taken before the other server records the tick.
            countTicks(h, jobId);
            Optional<Long> other = CompletableFuture.supplyAsync(() -> insert(fence, tick(jobId, 240_000L)))
                .get(30, TimeUnit.SECONDS);
            assertThat(other).isPresent();
            Optional<Long> mine = stores().instances().insert(h, fence, tick(jobId, 240_000L));
            // The transaction stays usable after the refused insert.
            stores().instances().insert(h, fence, tick(jobId, 300_000L)).orElseThrow();
            return mine;
        });

        assertThat(late).isEmpty();
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ? AND scheduled_at = ?", jobId, 240_000L))
            .isEqualTo(1);
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ? AND scheduled_at = ?", jobId, 300_000L))
            .isEqualTo(1);
    }

    @Test
    default void racingInsertsOfTheSameTickStoreExactlyOne() throws Exception {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            for (int race = 0; race < RACES; race++) {
                long scheduledAt = 1_000_000L + race * 1_000L;
                CyclicBarrier start = new CyclicBarrier(RACERS);
                List<Future<Optional<Long>>> racers = new ArrayList<>();
                for (int i = 0; i < RACERS; i++) {
                    racers.add(pool.submit(() -> db().jdbi().inTransaction(h -> {
                        start.await(10, TimeUnit.SECONDS);
                        return stores().instances().insert(h, fence, tick(jobId, scheduledAt));
                    })));
                }
                List<Optional<Long>> results = new ArrayList<>();
                for (Future<Optional<Long>> racer : racers) {
                    results.add(racer.get(30, TimeUnit.SECONDS));
                }

                assertThat(results).filteredOn(Optional::isPresent).as("winners of tick %d", scheduledAt).hasSize(1);
                assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ? AND scheduled_at = ?",
                    jobId, scheduledAt)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(countRows("SELECT COUNT(*) FROM instances WHERE job_id = ?", jobId)).isEqualTo(RACES);
    }

    private static long countTicks(Handle h, long jobId) {
        return h.createQuery("SELECT COUNT(*) FROM instances WHERE job_id = :job").bind("job", jobId)
            .mapTo(Long.class).one();
    }
}
