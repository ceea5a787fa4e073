package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;

/** Jobs that tick, the instances their ticks made, and the checks on them. */
final class Ticks {

    static final Duration EVERY = Duration.ofSeconds(1);

    private Ticks() {
    }

    /**
     * A job firing every second; up to 100 live instances, so that a tick never depends on the
     * one before having ended.
     */
    static JobRequest everySecond(String app, String name, ScheduleSpec schedule) {
        return new JobRequest(app, name, null, true, "tick", null, schedule, null, 100, null, null, null);
    }

    static JobRequest shell(String app, String name, String script, RetrySpec retry) {
        return new JobRequest(app, name, null, true, "shell", script, ScheduleSpec.api(), null, null, null, retry, null);
    }

    /** Every instance a schedule fired for the job, ordered by tick. */
    static List<InstanceResource> of(GnomonClient client, long jobId) {
        return client.instances().list(InstanceQuery.all().withJob(jobId).withLimit(1000)).items().stream()
            .filter(i -> i.scheduledAt() != null)
            .sorted(Comparator.comparing(InstanceResource::scheduledAt))
            .toList();
    }

    /** Polls (every 200 ms, at most 30 s) until at least {@code count} ticks pass the test. */
    static List<InstanceResource> await(GnomonClient client, long jobId, int count, Predicate<InstanceResource> which)
        throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<InstanceResource> ticks = List.of();
        while (System.nanoTime() < deadline) {
            ticks = of(client, jobId);
            if (ticks.stream().filter(which).count() >= count) {
                return ticks;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " matching ticks of job " + jobId + " within 30 s: "
            + describe(ticks));
    }

    static void assertUnique(List<InstanceResource> ticks) {
        List<Instant> times = ticks.stream().map(InstanceResource::scheduledAt).toList();
        assertThat(new HashSet<>(times)).as("each tick fired once: %s", describe(ticks)).hasSameSizeAs(times);
    }

    /** Unique and each one second after the one before. */
    static void assertGapFree(List<InstanceResource> ticks) {
        assertUnique(ticks);
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(Duration.between(ticks.get(i - 1).scheduledAt(), ticks.get(i).scheduledAt()))
                .as("gap before tick %s in %s", i, describe(ticks)).isEqualTo(EVERY);
        }
    }

    static String describe(List<InstanceResource> ticks) {
        StringBuilder out = new StringBuilder();
        for (InstanceResource i : ticks) {
            out.append("\n  #").append(i.id()).append(" scheduled ").append(i.scheduledAt()).append(" created ")
                .append(i.createdAt()).append(" late ")
                .append(Duration.between(i.scheduledAt(), i.createdAt()).toMillis()).append(" ms ").append(i.state());
        }
        return out.toString();
    }
}
