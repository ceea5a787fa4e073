package dev.gnomon.server.schedule;

import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.OverlapPolicy;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.server.store.Fence;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.JobRow;
import dev.gnomon.server.store.NewInstance;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Records one tick of a job as an instance, once (decision 10), honouring its concurrency limit. */
final class Firing {

    private final InstanceStore instances;

    Firing(InstanceStore instances) {
        this.instances = instances;
    }

    /** @return the new instance's id, or empty when the tick was recorded before */
    Optional<Long> fire(Handle h, Fence fence, JobRow job, Instant tick, long now) {
        int live = instances.liveCount(h, job.appId(), job.id(), job.maxConcurrent());
        InstanceState state = InstanceState.WAITING;
        String reason = null;
        if (live >= job.maxConcurrent()) {
            if (OverlapPolicy.valueOf(job.overlap()) == OverlapPolicy.SKIP) {
                state = InstanceState.SKIPPED;
                reason = "skipped: " + live + " live instances already, maxConcurrent " + job.maxConcurrent()
                    + " with overlap SKIP";
            } else {
                reason = "queued: the job already has its maximum of " + job.maxConcurrent() + " live instances";
            }
        }
        return instances.insert(h, fence, new NewInstance(job.id(), state, TriggerKind.SCHEDULE.name(),
            tick.toEpochMilli(), null, 1 + job.maxRetries(), reason, null, now));
    }
}
