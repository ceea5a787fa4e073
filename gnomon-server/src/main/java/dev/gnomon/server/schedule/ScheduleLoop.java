package dev.gnomon.server.schedule;

import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.cluster.LeaseListener;
import dev.gnomon.server.dispatch.CompletionListener;
import dev.gnomon.server.NotFoundException;
import dev.gnomon.server.job.JobSpecs;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.FencedException;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the jobs of the apps this server owns, on time: every second it loads the fire times
 * due within the next window and sets a timer for each (decision 10). A tick is recorded with
 * the job's next fire time in one transaction, under the app's lease, and the unique key
 * (job, scheduled time) refuses a second record of the same tick.
 */
public final class ScheduleLoop implements LeaseListener, CompletionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleLoop.class);

    private record Pending(long appId, long fireAt, ScheduledFuture<?> timer) {
    }

    /** The end of a job's instance, waiting for the timer thread to plan the job's next run. */
    private record Ended(long appId, long finishedAt) {
    }

    private final JobStore jobs;
    private final InstanceStore instances;
    private final LeaseKeeper leases;
    private final Firing firing;
    private final Clock clock;
    private final Duration window;
    private final Duration misfireThreshold;
    private final Runnable onFired;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, Ended> ended = new ConcurrentHashMap<>();
    private final AtomicBoolean endsQueued = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gnomon-schedule");
        t.setDaemon(true);
        return t;
    });

    public ScheduleLoop(JobStore jobs, InstanceStore instances, LeaseKeeper leases, Clock clock, Duration window,
                        Duration misfireThreshold, Runnable onFired) {
        this.jobs = jobs;
        this.instances = instances;
        this.leases = leases;
        this.firing = new Firing(instances);
        this.clock = clock;
        this.window = window;
        this.misfireThreshold = misfireThreshold;
        this.onFired = onFired;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::refreshLogged, 0, 1, TimeUnit.SECONDS);
    }

    /** A job was created, changed, enabled or disabled: forget its timer and look again. */
    public void jobChanged(long jobId) {
        Pending p = pending.remove(jobId);
        if (p != null) {
            p.timer().cancel(false);
        }
        timer.execute(this::refreshLogged);
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("schedule refresh failed; will try again: {}", e.toString());
        }
    }

    private void refresh() {
        long now = clock.millis();
        for (JobRow job : jobs.due(leases.owned(), now + window.toMillis())) {
            Pending p = pending.get(job.id());
            if (p != null && p.fireAt() == job.nextFireAt()) {
                continue;
            }
            if (p != null) {
                p.timer().cancel(false);
            }
            if (job.nextFireAt() < now - misfireThreshold.toMillis()) {
                pending.remove(job.id());
                misfire(job, now);
                continue;
            }
            arm(job.id(), job.appId(), job.nextFireAt());
        }
    }

    private void fire(long jobId, long fireAt) {
        pending.computeIfPresent(jobId, (id, p) -> p.fireAt() == fireAt ? null : p);
        Optional<JobRow> fresh = jobs.find(jobId);
        if (fresh.isEmpty() || !fresh.get().enabled() || fresh.get().nextFireAt() == null
            || fresh.get().nextFireAt() != fireAt) {
            return;
        }
        JobRow job = fresh.get();
        Optional<Fence> fence = leases.fence(job.appId());
        if (fence.isEmpty()) {
            return;
        }
        long now = clock.millis();
        if (fireAt < now - misfireThreshold.toMillis()) {
            misfire(job, now);
            return;
        }
        Schedule schedule = JobSpecs.scheduleOf(job);
        Long next = schedule.drivenByCompletion() ? null
            : schedule.nextAfter(Instant.ofEpochMilli(fireAt)).map(Instant::toEpochMilli).orElse(null);
        if (record(job, fence.get(), java.util.List.of(Instant.ofEpochMilli(fireAt)), next, now)
            && next != null && next <= clock.millis() + window.toMillis()) {
            arm(job.id(), job.appId(), next);
        } else {
            timer.execute(this::refreshLogged);
        }
    }

    /** Sets the timer for a job's next tick without reading every due job again. */
    private void arm(long jobId, long appId, long fireAt) {
        ScheduledFuture<?> f = timer.schedule(() -> fire(jobId, fireAt), Math.max(0, fireAt - clock.millis()),
            TimeUnit.MILLISECONDS);
        Pending old = pending.put(jobId, new Pending(appId, fireAt, f));
        if (old != null && old.fireAt() != fireAt) {
            old.timer().cancel(false);
        }
    }

    private void misfire(JobRow job, long now) {
        Optional<Fence> fence = leases.fence(job.appId());
        if (fence.isEmpty()) {
            return;
        }
        Schedule schedule = JobSpecs.scheduleOf(job);
        MisfireDecision decision = Misfires.resolve(schedule, Instant.ofEpochMilli(job.nextFireAt()),
            Instant.ofEpochMilli(now), misfireThreshold);
        LOG.info("job {} ('{}'): {} (misfire policy {})", job.id(), job.name(), decision.describe(),
            schedule.misfirePolicy());
        Long next = schedule.drivenByCompletion() && !decision.fireNow().isEmpty() ? null
            : decision.next().map(Instant::toEpochMilli).orElse(null);
        record(job, fence.get(), decision.fireNow(), next, now);
    }

    /** Records the ticks and moves the job's next fire time; false when that did not happen. */
    private boolean record(JobRow job, Fence fence, java.util.List<Instant> ticks, Long next, long now) {
        try {
            int fired = instances.jdbi().inTransaction(h -> {
                int n = 0;
                for (Instant tick : ticks) {
                    if (firing.fire(h, fence, job, tick, now).isPresent()) {
                        n++;
                    } else {
                        LOG.info("job {} tick {} was recorded before; not fired again", job.id(), tick);
                    }
                }
                if (!jobs.advance(h, fence, job.id(), job.nextFireAt(), next, now)) {
                    h.rollback();
                    return -1;
                }
                return n;
            });
            if (fired > 0) {
                onFired.run();
            }
            return fired >= 0;
        } catch (FencedException | NotFoundException e) {
            LOG.warn("job {} not fired: {}", job.id(), e.getMessage());
            return false;
        }
    }

    /**
     * A FIXED_DELAY job's next run counts from the end of the one that just ended. Ends are
     * gathered per job and planned once per step of the timer thread, so a burst of ends costs
     * one read per job, not one per instance; of a job's ends in one step, the first counts, as
     * the later ones would find its next run already planned.
     */
    @Override
    public void instanceEnded(long appId, long jobId, long instanceId, long finishedAt) {
        ended.putIfAbsent(jobId, new Ended(appId, finishedAt));
        if (endsQueued.compareAndSet(false, true)) {
            timer.execute(this::planAfterEnds);
        }
    }

    private void planAfterEnds() {
        endsQueued.set(false);
        boolean planned = false;
        for (Long jobId : java.util.List.copyOf(ended.keySet())) {
            Ended end = ended.remove(jobId);
            if (end != null) {
                planned |= planAfterEnd(jobId, end);
            }
        }
        if (planned) {
            refreshLogged();
        }
    }

    /** Plans a FIXED_DELAY job's next run from the end of its last; true when it did. */
    private boolean planAfterEnd(long jobId, Ended end) {
        try {
            Optional<JobRow> job = jobs.find(jobId);
            Optional<Fence> fence = leases.fence(end.appId());
            if (job.isEmpty() || fence.isEmpty() || !job.get().enabled() || job.get().nextFireAt() != null) {
                return false;
            }
            Schedule schedule = JobSpecs.scheduleOf(job.get());
            if (!schedule.drivenByCompletion()) {
                return false;
            }
            Long next = schedule.nextAfter(Instant.ofEpochMilli(end.finishedAt())).map(Instant::toEpochMilli)
                .orElse(null);
            instances.jdbi().useTransaction(h -> jobs.advance(h, fence.get(), jobId, null, next, clock.millis()));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cannot plan the next run of job {}: {}", jobId, e.toString());
            return false;
        }
    }

    @Override
    public void acquired(long appId, long epoch) {
        timer.execute(this::refreshLogged);
    }

    @Override
    public void lost(long appId, long epoch) {
        pending.entrySet().removeIf(e -> {
            if (e.getValue().appId() == appId) {
                e.getValue().timer().cancel(false);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
