package dev.miu.bench;

import java.util.Arrays;

/** Percentiles and means over a sample of durations in nanoseconds, shown in milliseconds. */
record Stats(long[] sortedNanos) {

    static Stats of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Stats(copy);
    }

    double percentileMs(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }

    double p50() {
        return percentileMs(50);
    }

    double p99() {
        return percentileMs(99);
    }

    double meanMs() {
        return Arrays.stream(sortedNanos).average().orElse(Double.NaN) / 1e6;
    }

    int count() {
        return sortedNanos.length;
    }

    static String ms(double value) {
        return String.format(java.util.Locale.ROOT, value < 10 ? "%.3f" : "%.1f", value);
    }
}
