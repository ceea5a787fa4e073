package dev.gnomon.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median, spread and percentiles of a list of figures; nearest-rank percentiles, no interpolation. */
public final class Stats {

    private Stats() {
    }

    /** The median; the mean of the two middle values for an even count. */
    public static double median(List<Double> values) {
        double[] v = sorted(values);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Largest minus smallest, divided by the median: 0.1 means the runs lie within 10 % of it. */
    public static double relativeSpread(List<Double> values) {
        double[] v = sorted(values);
        double median = median(values);
        return median == 0 ? 0 : (v[v.length - 1] - v[0]) / Math.abs(median);
    }

    /** The nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
    public static double percentile(double[] sortedValues, double p) {
        if (sortedValues.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (p <= 0) {
            return sortedValues[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedValues.length);
        return sortedValues[Math.min(sortedValues.length, rank) - 1];
    }

    /** "median (min–max, ±x %)" for the table. */
    public static String describe(List<Double> values, String format) {
        if (values.isEmpty()) {
            return "n/a";
        }
        double[] v = sorted(values);
        return String.format(Locale.ROOT, format, median(values)) + " (" + String.format(Locale.ROOT, format, v[0])
            + "–" + String.format(Locale.ROOT, format, v[v.length - 1]) + ", ±"
            + String.format(Locale.ROOT, "%.0f", 50 * relativeSpread(values)) + " %)";
    }

    static double[] sorted(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }
}
