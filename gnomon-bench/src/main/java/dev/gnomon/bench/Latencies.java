package dev.gnomon.bench;

import java.util.Arrays;

/** Percentiles of one run's samples, in milliseconds. */
record Latencies(double p50, double p99, double max, double min, int count) {

    static Latencies ofMillis(double[] samples) {
        double[] v = samples.clone();
        Arrays.sort(v);
        return new Latencies(Stats.percentile(v, 50), Stats.percentile(v, 99), v[v.length - 1], v[0], v.length);
    }
}
