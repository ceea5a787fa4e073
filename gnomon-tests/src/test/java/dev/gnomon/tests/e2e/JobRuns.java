package dev.gnomon.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.client.InstanceQuery;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Shorthands the end-to-end tests share: job requests, instance queries and bounded waits. */
final class JobRuns {

    static final Duration WAIT = Duration.ofSeconds(30);

    private JobRuns() {
    }

    /** An enabled standalone job with the given processor, parameters, schedule, retries and timeout. */
    static JobRequest job(String app, String name, String processor, String params, ScheduleSpec schedule,
                          RetrySpec retry, Duration timeout) {
        return new JobRequest(app, name, null, true, processor, params, schedule, null, null, null, retry, timeout);
    }

    /** Every instance of the job, oldest first. */
    static List<InstanceResource> instancesOf(GnomonClient client, long jobId) {
        return client.instances().list(InstanceQuery.all().withJob(jobId).withLimit(1000)).items().stream()
            .sorted(Comparator.comparingLong(InstanceResource::id))
            .toList();
    }

    /** Every instance of the job that a schedule fired, ordered by tick. */
    static List<InstanceResource> ticksOf(GnomonClient client, long jobId) {
        return instancesOf(client, jobId).stream()
            .filter(i -> i.scheduledAt() != null)
            .sorted(Comparator.comparing(InstanceResource::scheduledAt))
            .toList();
    }

    /** The scheduled times of the ticks, in order. */
    static List<Instant> scheduledTimes(List<InstanceResource> ticks) {
        return ticks.stream().map(InstanceResource::scheduledAt).toList();
    }

    /** Waits (at most {@link #WAIT}) until the instance matches, and returns it as it was then. */
    static InstanceResource awaitInstance(GnomonClient client, long id, String what,
                                          Predicate<InstanceResource> condition) {
        InstanceResource[] last = new InstanceResource[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            last[0] = client.instances().get(id);
            assertThat(last[0]).matches(condition, what);
        });
        return last[0];
    }

    /** Waits until the instance has ended, and returns it. */
    static InstanceResource awaitEnded(GnomonClient client, long id) {
        return awaitInstance(client, id, "ended", i -> i.state().terminal());
    }

    /** The text of the instance's log lines, in stored order. */
    static List<String> logText(GnomonClient client, long id) {
        return logOf(client, id).stream().map(LogEntry::text).toList();
    }

    static List<LogEntry> logOf(GnomonClient client, long id) {
        return client.instances().log(id, 0, 1000).items();
    }
}
