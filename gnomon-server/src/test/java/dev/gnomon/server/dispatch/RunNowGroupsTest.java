package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.server.NotFoundException;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.FencedException;
import dev.gnomon.server.store.InstanceRow;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.NewInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent single run-now calls of one app recorded together: each call gets its own committed
 * instance or its own error, and calls that arrive during a commit are recorded in the next one.
 */
class RunNowGroupsTest {

    private final DispatchFixture f = new DispatchFixture(11);
    private final ExecutorService callers = Executors.newFixedThreadPool(16);
    /** The size of each transaction the groups wrote, in order. */
    private final List<Integer> writes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstWrite = new CountDownLatch(1);
    /** Records through the store, holding the first write until released, as a slow commit would. */
    private final RunNowGroups.Writer heldFirst = (fence, rows) -> {
        writes.add(rows.size());
        if (writes.size() == 1) {
            firstWriteStarted.countDown();
            try {
                releaseFirstWrite.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return f.instances.insertAll(fence, rows);
    };
    /** One group at a time, so that the calls arriving during a write make the next group. */
    private final RunNowGroups groups = new RunNowGroups(heldFirst, 1);

    @AfterEach
    void close() throws InterruptedException {
        releaseFirstWrite.countDown();
        callers.shutdownNow();
        callers.awaitTermination(10, TimeUnit.SECONDS);
        f.close();
    }

    @Test
    void manyConcurrentRunNowCallsEachGetTheirOwnCommittedInstance() {
        JobRow job = f.job(queueing("many"));
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String params = "p" + i;
            calls.add(CompletableFuture.supplyAsync(() -> f.runNow(job, List.of(params)).ids().get(0), callers));
        }

        List<Long> ids = calls.stream().map(CompletableFuture::join).toList();

        assertThat(new HashSet<>(ids)).hasSize(400);
        Set<String> params = new HashSet<>();
        for (long id : ids) {
            InstanceRow inst = f.instance(id);
            assertThat(inst.jobId()).isEqualTo(job.id());
            assertThat(inst.state()).isEqualTo(InstanceState.WAITING);
            params.add(inst.params());
        }
        assertThat(params).as("each call's own parameters on its own instance").hasSize(400);
        assertThat(instancesOf(job)).isEqualTo(400);
    }

    @Test
    void aCallOnAnIdleAppIsRecordedAtOnceAlone() {
        JobRow job = f.job(DispatchFixture.request("idle"));
        releaseFirstWrite.countDown();

        long id = groups.record(f.fence(), row(job.id(), "alone"));

        assertThat(writes).containsExactly(1);
        assertThat(f.instance(id).params()).isEqualTo("alone");
    }

    @Test
    void callsArrivingDuringACommitAreRecordedTogetherInTheNextOne() {
        JobRow job = f.job(DispatchFixture.request("grouped"));
        CompletableFuture<Long> leader = call(f.fence(), job.id(), "leader");
        awaitFirstWrite();
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(call(f.fence(), job.id(), "queued-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.queued(f.appId) == 5);
        assertThat(queued).noneMatch(CompletableFuture::isDone);

        releaseFirstWrite.countDown();

        assertThat(f.instance(leader.join()).params()).isEqualTo("leader");
        for (int i = 0; i < 5; i++) {
            assertThat(f.instance(queued.get(i).join()).params()).isEqualTo("queued-" + i);
        }
        assertThat(writes).containsExactly(1, 5);
    }

    @Test
    void withTwoWritersACallArrivingDuringACommitIsRecordedAtOnceBesideIt() {
        RunNowGroups two = new RunNowGroups(heldFirst, 2);
        JobRow job = f.job(DispatchFixture.request("two"));
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> two.record(f.fence(), row(job.id(), "first")),
            callers);
        awaitFirstWrite();

        long second = two.record(f.fence(), row(job.id(), "second"));

        assertThat(f.instance(second).params()).isEqualTo("second");
        assertThat(first).isNotDone();
        releaseFirstWrite.countDown();
        assertThat(f.instance(first.join()).params()).isEqualTo("first");
        assertThat(writes).containsExactly(1, 1);
    }

    @Test
    void aCallForAJobDeletedMeanwhileFailsAloneAndItsGroupMatesAreRecorded() {
        JobRow job = f.job(DispatchFixture.request("kept"));
        JobRow gone = f.job(DispatchFixture.request("gone"));
        f.jobs.delete(gone.id());
        CompletableFuture<Long> leader = call(f.fence(), job.id(), "leader");
        awaitFirstWrite();
        CompletableFuture<Long> before = call(f.fence(), job.id(), "before");
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.queued(f.appId) == 1);
        CompletableFuture<Long> deleted = call(f.fence(), gone.id(), "deleted");
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.queued(f.appId) == 2);
        CompletableFuture<Long> after = call(f.fence(), job.id(), "after");
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.queued(f.appId) == 3);

        releaseFirstWrite.countDown();

        assertThatThrownBy(deleted::join).isInstanceOf(CompletionException.class)
            .cause().isInstanceOf(NotFoundException.class).hasMessageContaining("no job with id " + gone.id());
        assertThat(f.instance(leader.join()).params()).isEqualTo("leader");
        assertThat(f.instance(before.join()).params()).isEqualTo("before");
        assertThat(f.instance(after.join()).params()).isEqualTo("after");
        assertThat(instancesOf(job)).isEqualTo(3);
        assertThat(instancesOf(gone)).isZero();
        assertThat(writes).as("the group of three failed whole, then each was recorded alone")
            .containsExactly(1, 3, 1, 1, 1);
    }

    @Test
    void aLostLeaseFailsEveryCallOfTheGroupAndRecordsNothing() {
        JobRow job = f.job(DispatchFixture.request("fenced"));
        Fence fence = f.fence();
        CompletableFuture<Long> leader = call(fence, job.id(), "leader");
        awaitFirstWrite();
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(call(fence, job.id(), "queued-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.queued(f.appId) == 3);
        // another server takes the app over while the first write is under way
        f.db.jdbi().useHandle(h -> h.execute("UPDATE app_leases SET owner_id = 's2', epoch = epoch + 1"
            + " WHERE app_id = ?", f.appId));

        releaseFirstWrite.countDown();

        assertThatThrownBy(leader::join).cause().isInstanceOf(FencedException.class);
        for (CompletableFuture<Long> q : queued) {
            assertThatThrownBy(q::join).cause().isInstanceOf(FencedException.class)
                .hasMessageContaining("lease of app " + f.appId);
        }
        assertThat(instancesOf(job)).isZero();
    }

    /** A job whose runs queue past its maxConcurrent (overlap QUEUE), as the single calls that are grouped. */
    private static JobRequest queueing(String name) {
        return new JobRequest("modes", name, null, true, DispatchFixture.PROCESSOR, "job-params", ScheduleSpec.api(),
            null, 10, OverlapPolicy.QUEUE, null, null);
    }

    private CompletableFuture<Long> call(Fence fence, long jobId, String params) {
        return CompletableFuture.supplyAsync(() -> groups.record(fence, row(jobId, params)), callers);
    }

    private void awaitFirstWrite() {
        await().atMost(Duration.ofSeconds(10)).until(() -> firstWriteStarted.getCount() == 0);
    }

    private static NewInstance row(long jobId, String params) {
        return new NewInstance(jobId, InstanceState.WAITING, TriggerKind.API.name(), null, params, 1, null, null,
            1_000_000);
    }

    private long instancesOf(JobRow job) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM instances WHERE job_id = :j")
            .bind("j", job.id()).mapTo(Long.class).one());
    }
}
