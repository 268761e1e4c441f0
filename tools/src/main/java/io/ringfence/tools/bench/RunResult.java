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

    /** Below this share of the offered rate a run did not keep up: its latencies are time spent queueing. */
    static final double KEPT_UP = 0.95;

    /**
     * The run achieved less than {@value #KEPT_UP} of its offered rate: it could not keep up, so its latencies grow
     * with the run's length and a ratio to another run compares backlogs, not costs (audit: at 1,000,000/s offered the
     * engine and the echo both queued for seconds and engine/echo read 1.1x at p99.99, with nothing saying so).
     */
    boolean saturated() {
        return achieved < KEPT_UP * offered;
    }

    long p(final double percentile) {
        return latencyMicros.getValueAtPercentile(percentile);
    }

    long max() {
        return latencyMicros.getMaxValue();
    }
}
