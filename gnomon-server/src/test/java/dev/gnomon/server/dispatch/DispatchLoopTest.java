package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A step a caller runs in the loop's place: only on an idle loop, and never beside a step of the loop. */
class DispatchLoopTest {

    private final DispatchLoop loop = new DispatchLoop();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void anIdleLoopLetsTheCallerRunTheStepOnItsOwnThread() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertThat(loop.runIfIdle(() -> ranOn.set(Thread.currentThread()))).isTrue();
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aRunningOrQueuedStepMakesTheCallerLeaveIt() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch queuedRan = new CountDownLatch(1);
        loop.execute("blocking", () -> {
            running.countDown();
            await(release, 30);
        });
        loop.execute("queued", queuedRan::countDown);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean ran = new AtomicBoolean();

        assertThat(loop.runIfIdle(() -> ran.set(true))).isFalse();
        release.countDown();
        assertThat(queuedRan.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(ran).isFalse();
    }

    @Test
    void aStepQueuedWhileTheCallerRunsWaitsForIt() throws InterruptedException {
        AtomicBoolean inCallerStep = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        CountDownLatch loopStepRan = new CountDownLatch(1);

        boolean ran = loop.runIfIdle(() -> {
            inCallerStep.set(true);
            loop.execute("arrives meanwhile", () -> {
                overlapped.set(inCallerStep.get());
                loopStepRan.countDown();
            });
            // were the loop not held back, its step would run (and count down) within this wait
            await(loopStepRan, 1);
            inCallerStep.set(false);
        });

        assertThat(ran).isTrue();
        assertThat(loopStepRan.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlapped).isFalse();
    }

    @Test
    void aTimedStepCountsWhileItRuns() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.later(java.time.Duration.ZERO, "timed", () -> {
            running.countDown();
            await(release, 30);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(loop.runIfIdle(() -> { })).isFalse();
        } finally {
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch, long seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
