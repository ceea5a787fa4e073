package dev.gnomon.server.job;

import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.ExecutionMode;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ScheduleType;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.schedule.Schedule;
import dev.gnomon.server.store.JobRow;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/** Turns a job request into a stored job (checking every field) and a stored job into a resource. */
public final class JobSpecs {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern PROCESSOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._$:/-]{0,254}");
    /** The longest params a job or an instance may carry, in characters. */
    public static final int MAX_PARAMS = 256 * 1024;

    private JobSpecs() {
    }

    /**
     * A stored job from a request. {@code createdAt} anchors fixed-rate ticks; the next fire time
     * is the first tick after {@code now}.
     */
    public static JobRow toRow(JobRequest req, long id, long appId, long createdAt, long now) {
        require(req.name() != null && NAME.matcher(req.name()).matches(), "name",
            "job name must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        require(req.processor() != null && PROCESSOR.matcher(req.processor()).matches(), "processor",
            "processor is required: the name of a processor registered on the workers, or 'shell'");
        require(req.params() == null || req.params().length() <= MAX_PARAMS, "params",
            "params are " + (req.params() == null ? 0 : req.params().length()) + " characters; at most " + MAX_PARAMS);
        require(req.description() == null || req.description().length() <= 1000, "description",
            "description is longer than 1000 characters");
        JobModes.Stored modes = JobModes.check(req);
        int maxConcurrent = req.maxConcurrent() == null ? 1 : req.maxConcurrent();
        require(maxConcurrent >= 1 && maxConcurrent <= 1000, "maxConcurrent",
            "maxConcurrent is " + maxConcurrent + "; allowed 1-1000");
        RetrySpec retry = retry(req.retry());
        Duration timeout = req.timeout() == null ? Duration.ZERO : req.timeout();
        require(!timeout.isNegative(), "timeout", "timeout must not be negative");
        require(req.schedule() != null, "schedule", "schedule is required, e.g. {\"type\":\"CRON\",\"cron\":\"0 */5 * * * ?\"}"
            + " or {\"type\":\"API\"}");
        ScheduleSpec spec = req.schedule();
        Schedule schedule = Schedule.of(spec, Instant.ofEpochMilli(createdAt));
        if (spec.type() == ScheduleType.ONE_SHOT) {
            require(spec.at().toEpochMilli() > now - 1000, "schedule.at",
                "schedule.at " + spec.at() + " is in the past; give a future instant or run the job through the API");
        }
        boolean enabled = req.enabled() == null || req.enabled();
        Long next = enabled ? firstFire(schedule, now) : null;
        return new JobRow(id, appId, req.name(), req.description(), enabled, req.processor(), req.params(),
            spec.type().name(), spec.cron(), spec.type() == ScheduleType.CRON ? schedule.zone().getId() : null,
            millis(spec.every()), spec.at() == null ? null : spec.at().toEpochMilli(),
            spec.startAt() == null ? null : spec.startAt().toEpochMilli(),
            spec.endAt() == null ? null : spec.endAt().toEpochMilli(), schedule.misfirePolicy().name(),
            schedule.misfireBound(), modes.mode(), maxConcurrent,
            (req.overlap() == null ? OverlapPolicy.SKIP : req.overlap()).name(), retry.maxRetries(),
            retry.backoff().name(), retry.delay().toMillis(), retry.maxDelay().toMillis(), timeout.toMillis(), next,
            createdAt, now, modes.selection(), modes.shards(), modes.broadcast());
    }

    /** The first fire time after {@code now}, or null when the schedule will not fire by itself. */
    public static Long firstFire(Schedule schedule, long now) {
        return schedule.nextAfter(Instant.ofEpochMilli(now)).map(Instant::toEpochMilli).orElse(null);
    }

    private static RetrySpec retry(RetrySpec r) {
        if (r == null) {
            return RetrySpec.none();
        }
        require(r.maxRetries() >= 0 && r.maxRetries() <= 100, "retry.maxRetries",
            "retry.maxRetries is " + r.maxRetries() + "; allowed 0-100");
        BackoffKind kind = r.backoff() == null ? BackoffKind.FIXED : r.backoff();
        Duration delay = r.delay() == null ? Duration.ofSeconds(1) : r.delay();
        require(!delay.isNegative() && delay.compareTo(Duration.ofDays(1)) <= 0, "retry.delay",
            "retry.delay must be between 0 and 1 day");
        Duration max = r.maxDelay() == null ? (kind == BackoffKind.FIXED ? delay : Duration.ofMinutes(10)) : r.maxDelay();
        require(max.compareTo(delay) >= 0 && max.compareTo(Duration.ofDays(1)) <= 0, "retry.maxDelay",
            "retry.maxDelay must be at least retry.delay (" + delay + ") and at most 1 day");
        return new RetrySpec(r.maxRetries(), kind, delay, max);
    }

    public static ScheduleSpec specOf(JobRow job) {
        ScheduleType type = ScheduleType.valueOf(job.scheduleType());
        MisfirePolicy misfire = type == ScheduleType.API ? null : MisfirePolicy.valueOf(job.misfirePolicy());
        return new ScheduleSpec(type, job.cron(), job.timeZone(),
            job.everyMs() == null ? null : Duration.ofMillis(job.everyMs()), instant(job.atMs()),
            instant(job.startAt()), instant(job.endAt()), misfire,
            misfire == MisfirePolicy.FIRE_ALL ? job.misfireBound() : null);
    }

    public static Schedule scheduleOf(JobRow job) {
        return Schedule.of(specOf(job), Instant.ofEpochMilli(job.createdAt()));
    }

    public static JobResource toResource(JobRow job, String appName) {
        return new JobResource(job.id(), appName, job.name(), job.description(), job.enabled(), job.processor(),
            job.params(), specOf(job), ExecutionMode.valueOf(job.mode()), job.maxConcurrent(),
            OverlapPolicy.valueOf(job.overlap()), new RetrySpec(job.maxRetries(), BackoffKind.valueOf(job.backoff()),
            Duration.ofMillis(job.retryDelayMs()), Duration.ofMillis(job.retryMaxDelayMs())),
            Duration.ofMillis(job.timeoutMs()), instant(job.nextFireAt()), Instant.ofEpochMilli(job.createdAt()),
            Instant.ofEpochMilli(job.updatedAt()), job.selection() == null ? null : JobModes.selection(job),
            job.shards() == null ? null : JobModes.shards(job), job.broadcast() == null ? null : JobModes.broadcast(job));
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidInputException(field, message);
        }
    }
}
