package dev.gnomon.tests.fault;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/** The faults of one proxy as they stand, read by every connection on every chunk. */
final class Faults {

    private record Latency(long baseNanos, long jitterNanos) {
        static final Latency NONE = new Latency(0, 0);
    }

    private final Map<Direction, TokenBucket> buckets = new EnumMap<>(Direction.class);
    private final Map<Direction, LongAdder> forwarded = new EnumMap<>(Direction.class);
    private volatile Latency latency = Latency.NONE;
    private volatile boolean blackhole;
    private volatile boolean refuse;

    Faults() {
        for (Direction direction : Direction.values()) {
            buckets.put(direction, new TokenBucket());
            forwarded.put(direction, new LongAdder());
        }
    }

    void latency(long baseNanos, long jitterNanos) {
        latency = new Latency(baseNanos, jitterNanos);
    }

    /** base ± jitter, uniformly; never negative since jitter never exceeds base. */
    long nextDelayNanos() {
        Latency now = latency;
        if (now.jitterNanos() == 0) {
            return now.baseNanos();
        }
        return now.baseNanos() + ThreadLocalRandom.current().nextLong(-now.jitterNanos(), now.jitterNanos() + 1);
    }

    void bandwidth(long bytesPerSecond) {
        buckets.values().forEach(bucket -> bucket.rate(bytesPerSecond));
    }

    TokenBucket bucket(Direction direction) {
        return buckets.get(direction);
    }

    void forwarded(Direction direction, int bytes) {
        forwarded.get(direction).add(bytes);
    }

    long forwarded(Direction direction) {
        return forwarded.get(direction).sum();
    }

    boolean blackhole() {
        return blackhole;
    }

    void blackhole(boolean on) {
        blackhole = on;
    }

    boolean refuse() {
        return refuse;
    }

    void refuse(boolean on) {
        refuse = on;
    }
}
