package dev.gnomon.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's task threads: every task runs, a task that blocks never holds back those queued
 * behind it, no more than the maximum run at once, and a stream of short tasks is run by the
 * threads already awake instead of a new one each.
 */
class TaskThreadsTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private TaskThreads pool = new TaskThreads(8, 60, TimeUnit.SECONDS, "test-task-");

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyTaskRunsOnce() throws InterruptedException {
        int n = 20_000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            pool.execute(() -> {
                ran.incrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(n);
        assertThat(pool.threads()).isBetween(1, 8);
    }

    @Test
    void tasksThatBlockEachGetAThreadUpToTheMaximum() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(8);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 8; i++) {
            pool.execute(() -> {
                threads.add(Thread.currentThread());
                started.countDown();
                awaitQuietly(release);
            });
        }
        assertThat(started.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("all eight blocking tasks started").isTrue();
        assertThat(threads).hasSize(8);

        CountDownLatch ninth = new CountDownLatch(1);
        pool.execute(ninth::countDown);
        assertThat(ninth.await(200, TimeUnit.MILLISECONDS)).as("no ninth thread while eight tasks block").isFalse();
        assertThat(pool.threads()).isEqualTo(8);

        release.countDown();
        assertThat(ninth.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the ninth runs once one ends").isTrue();
    }

    @Test
    void aBlockedTaskDoesNotHoldBackTheShortOnesQueuedBehindIt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        pool.execute(() -> {
            blocking.countDown();
            awaitQuietly(release);
        });
        assertThat(blocking.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CountDownLatch shortOnes = new CountDownLatch(1_000);
        for (int i = 0; i < 1_000; i++) {
            pool.execute(shortOnes::countDown);
        }
        assertThat(shortOnes.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        release.countDown();
    }

    @Test
    void tasksOneAfterAnotherReuseTheThreadsAlreadyThere() throws InterruptedException {
        pool.shutdownNow();
        pool = new TaskThreads(64, 60, TimeUnit.SECONDS, "test-task-");
        for (int i = 0; i < 2_000; i++) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(done::countDown);
            assertThat(done.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        // One task at a time: a thread that ran one takes the next. Another starts only when a
        // task is queued in the instant between its latch opening and its thread counting itself
        // free, which a thread pool that starts a thread per task until all exist never avoids.
        assertThat(pool.started()).isLessThanOrEqualTo(8);
    }

    @Test
    void idleThreadsEndAfterTheKeepAlive() throws InterruptedException {
        pool.shutdownNow();
        pool = new TaskThreads(4, 50, TimeUnit.MILLISECONDS, "test-task-");
        CountDownLatch done = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            pool.execute(done::countDown);
        }
        assertThat(done.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(LIMIT).until(() -> pool.threads() == 0);

        CountDownLatch again = new CountDownLatch(1);
        pool.execute(again::countDown);
        assertThat(again.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("a new thread starts for new work").isTrue();
    }

    @Test
    void aTaskThatThrowsLeavesThePoolWorking() throws InterruptedException {
        Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
        CountDownLatch thrown = new CountDownLatch(1);
        pool.execute(() -> {
            Thread.currentThread().setUncaughtExceptionHandler(quiet);
            thrown.countDown();
            throw new IllegalStateException("processor bug");
        });
        assertThat(thrown.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CountDownLatch after = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            pool.execute(after::countDown);
        }
        assertThat(after.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownNowInterruptsRunningTasksReturnsQueuedOnesAndRefusesNewOnes() throws InterruptedException {
        pool.shutdownNow();
        pool = new TaskThreads(1, 60, TimeUnit.SECONDS, "test-task-");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Runnable queued = () -> { };
        pool.execute(queued);

        List<Runnable> left = pool.shutdownNow();

        assertThat(left).containsExactly(queued);
        assertThat(interrupted.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(pool.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(pool.isTerminated()).isTrue();
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void shutdownRunsWhatIsQueuedThenEnds() throws InterruptedException {
        pool.shutdownNow();
        pool = new TaskThreads(1, 60, TimeUnit.SECONDS, "test-task-");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(() -> awaitQuietly(release));
        for (int i = 0; i < 10; i++) {
            pool.execute(ran::incrementAndGet);
        }
        pool.shutdown();
        release.countDown();

        assertThat(pool.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(10);
    }

    @Test
    void aPoolNeedsAThread() {
        assertThatThrownBy(() -> new TaskThreads(0, 1, TimeUnit.SECONDS, "x"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
