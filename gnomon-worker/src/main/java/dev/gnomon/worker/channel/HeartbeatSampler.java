package dev.gnomon.worker.channel;

import dev.gnomon.protocol.WorkerHeartbeat;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.time.Clock;

/** Measures how loaded this JVM is, for the heartbeat. */
public final class HeartbeatSampler {

    private final Clock clock;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    public HeartbeatSampler(Clock clock) {
        this.clock = clock;
    }

    public WorkerHeartbeat sample(int runningTasks, int maxTasks) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() < 0 ? Runtime.getRuntime().maxMemory() : heap.getMax();
        return new WorkerHeartbeat(clock.instant(), cpuLoad(), Runtime.getRuntime().availableProcessors(),
            heap.getUsed(), max, runningTasks, maxTasks);
    }

    private double cpuLoad() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getCpuLoad();
            return load < 0 || Double.isNaN(load) ? -1 : load;
        }
        return -1;
    }
}
