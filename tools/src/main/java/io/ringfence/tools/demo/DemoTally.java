package io.ringfence.tools.demo;

import io.ringfence.sbe.Outcome;
import org.HdrHistogram.Histogram;

/**
 * What the demo's shop client saw come back, written on the client's I/O thread and read once the
 * run is over: for every client sequence the pattern it was sent as and its intended send time,
 * and per pattern how its orders and payments were decided; the send-to-decision latency measured
 * from the intended send time (so a stall is not hidden: coordinated-omission corrected).
 */
final class DemoTally {
    private final byte[] patternBySeq;
    private final long[] intendedNanosBySeq;
    private final long[][] outcomes = new long[FraudPattern.values().length][Outcome.values().length];
    private final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    private long decisions;
    private long rejects;
    /** The first order or payment declined in the measured run ("order o-1"), for the explain hint; null until there is one. */
    private volatile String firstDeclined;

    DemoTally(final int events) {
        patternBySeq = new byte[events + 1];
        intendedNanosBySeq = new long[events + 1];
    }

    /** Main thread, before the message is handed to the client. */
    void sent(final long clientSeq, final FraudPattern pattern, final long intendedNanos) {
        final int i = (int) clientSeq;
        patternBySeq[i] = (byte) pattern.ordinal();
        intendedNanosBySeq[i] = intendedNanos;
    }

    /** Forgets the warm-up: counts and latencies start again (call when every warm-up answer is in). */
    synchronized void reset() {
        for (final long[] row : outcomes) {
            java.util.Arrays.fill(row, 0);
        }
        latencyMicros.reset();
        decisions = 0;
        rejects = 0;
    }

    /** Client I/O thread. An intended time of -1 marks a warm-up event: not counted. */
    void decided(final long clientSeq, final Outcome outcome, final long nowNanos) {
        final int i = (int) clientSeq;
        if (i <= 0 || i >= patternBySeq.length || intendedNanosBySeq[i] < 0) {
            return;
        }
        decisions++;
        outcomes[patternBySeq[i]][outcome.ordinal()]++;
        final long micros = Math.max(0, (nowNanos - intendedNanosBySeq[i]) / 1_000);
        latencyMicros.recordValue(Math.min(micros, latencyMicros.getHighestTrackableValue()));
    }

    /** Client I/O thread: whether an example decline is still wanted (saves decoding an id for every decision). */
    boolean wantsDeclined() {
        return firstDeclined == null;
    }

    /**
     * Client I/O thread: keeps the first decline of the measured run (warm-up events, intended time
     * -1, are skipped) as its kind and id, e.g. {@code payment p-17}.
     */
    void declined(final long clientSeq, final String kind, final String id) {
        final int i = (int) clientSeq;
        if (firstDeclined == null && i > 0 && i < intendedNanosBySeq.length && intendedNanosBySeq[i] >= 0) {
            firstDeclined = kind + ' ' + id;
        }
    }

    /** The first decline of the measured run as "kind id", or null. */
    String firstDeclined() {
        return firstDeclined;
    }

    /** Client I/O thread. */
    void rejected() {
        rejects++;
    }

    long decisions() {
        return decisions;
    }

    long rejects() {
        return rejects;
    }

    long outcomes(final FraudPattern pattern, final Outcome outcome) {
        return outcomes[pattern.ordinal()][outcome.ordinal()];
    }

    long decided(final FraudPattern pattern) {
        long n = 0;
        for (final long c : outcomes[pattern.ordinal()]) {
            n += c;
        }
        return n;
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }
}
