package io.ringfence.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured run: the offered rate, the rate achieved (measured answers over the time from the
 * first measured answer to the last, {@link AnswerSpan}), the latency histogram in microseconds, how
 * late the sender's {@code send} calls returned against their intended times (µs), the gateway's
 * per-stage histograms in nanoseconds (null for the echo baseline or with stage times off; see
 * {@code StageLatencies}), and the JVM's garbage collections during the run.
 */
record RunResult(String name, double offered, double achieved, Histogram latencyMicros, Histogram sendLagMicros,
                 Histogram[] stageNanos, GcDelta gc) {
    private static final long HIGHEST_MICROS = 60_000_000L;

    /** Same settings for every run and baseline: up to 60 s, 3 significant digits, in microseconds. */
    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** A latency in µs as recorded: negative as 0, beyond 60 s as 60 s (a stall that long is already a failed run). */
    static long clamp(final long micros) {
        return Math.max(0, Math.min(HIGHEST_MICROS, micros));
    }

    long p(final double percentile) {
        return latencyMicros.getValueAtPercentile(percentile);
    }

    long max() {
        return latencyMicros.getMaxValue();
    }
}
