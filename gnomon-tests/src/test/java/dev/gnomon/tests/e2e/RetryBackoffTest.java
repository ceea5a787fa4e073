package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.awaitEnded;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failed attempts are tried again after the job's backoff, up to its retry limit. */
class RetryBackoffTest {

    /** When the processor saw an attempt start, by the test's own clock. */
    private record Start(int attempt, long nanos) {
    }

    private static final Map<Long, List<Start>> STARTS = new ConcurrentHashMap<>();
    private static TestServer server;
    private static GnomonClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
        String secret = server.createApp("retry");
        server.worker("retry", secret, b -> b
            .processor("always-fails", ctx -> {
                record(ctx.instanceId(), ctx.attempt());
                return Result.failure("boom on attempt " + ctx.attempt());
            })
            .processor("fails-twice", ctx -> {
                record(ctx.instanceId(), ctx.attempt());
                if (ctx.attempt() < 3) {
                    throw new IllegalStateException("not yet, attempt " + ctx.attempt());
                }
                return Result.success("made it on attempt " + ctx.attempt());
            }));
        client = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void record(long instanceId, int attempt) {
        STARTS.computeIfAbsent(instanceId, id -> new CopyOnWriteArrayList<>()).add(new Start(attempt, System.nanoTime()));
    }

    @Test
    void exponentialBackoffDoublesTheDelayAndTheLastFailureEndsTheInstance() {
        InstanceResource done = runToEnd("exp", "always-fails",
            new RetrySpec(2, BackoffKind.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofSeconds(10)));

        assertThat(done.state()).isEqualTo(InstanceState.FAILED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.maxAttempts()).isEqualTo(3);
        assertThat(done.result()).isEqualTo("boom on attempt 3");
        assertThat(done.reason()).isEqualTo("attempt 3 of 3 failed: boom on attempt 3");
        List<Start> starts = STARTS.get(done.id());
        assertThat(starts).extracting(Start::attempt).containsExactly(1, 2, 3);
        assertThat(gap(starts, 1)).as("delay before attempt 2").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(gap(starts, 2)).as("delay before attempt 3").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void fixedBackoffWaitsTheSameDelayBeforeEachRetry() {
        InstanceResource done = runToEnd("fixed", "always-fails",
            new RetrySpec(2, BackoffKind.FIXED, Duration.ofMillis(1500), Duration.ofSeconds(10)));

        assertThat(done.state()).isEqualTo(InstanceState.FAILED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.maxAttempts()).isEqualTo(3);
        List<Start> starts = STARTS.get(done.id());
        assertThat(starts).extracting(Start::attempt).containsExactly(1, 2, 3);
        assertThat(gap(starts, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(gap(starts, 2)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aProcessorThatFailsTwiceThenSucceedsEndsSucceededOnItsThirdAttempt() {
        InstanceResource done = runToEnd("eventually", "fails-twice",
            new RetrySpec(2, BackoffKind.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1)));

        assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.result()).isEqualTo("made it on attempt 3");
        assertThat(STARTS.get(done.id())).extracting(Start::attempt).containsExactly(1, 2, 3);
    }

    private static InstanceResource runToEnd(String name, String processor, RetrySpec retry) {
        JobResource created = client.jobs().create(job("retry", name, processor, null, ScheduleSpec.api(), retry, null));
        InstanceResource run = client.jobs().run(created.id(), null);
        assertThat(run.maxAttempts()).isEqualTo(1 + retry.maxRetries());
        return awaitEnded(client, run.id());
    }

    /** Time from the start of attempt {@code i} to the start of the next one (0-based index). */
    private static Duration gap(List<Start> starts, int next) {
        return Duration.ofNanos(starts.get(next).nanos() - starts.get(next - 1).nanos());
    }
}
