package io.ringfence.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured run: the offered rate, the rate achieved (measured events over the time from the
 * first measured intended send to the last answer) and the latency histogram in microseconds.
 */
record RunResult(String name, double offered, double achieved, Histogram latencyMicros) {
    /** Same settings for every run and baseline: up to 60 s, 3 significant digits, in microseconds. */
    static Histogram newHistogram() {
        return new Histogram(60_000_000L, 3);
    }

    long p(final double percentile) {
        return latencyMicros.getValueAtPercentile(percentile);
    }

    long max() {
        return latencyMicros.getMaxValue();
    }
}
