package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

/**
 * The one-step forecast behind an {@link AnomalyDetector}, on the detector's model scale
 * ({@code log(1 + y)} or linear): {@link HoltWinters} ({@code forecast: holt-winters}) or
 * {@link SeasonalMean} ({@code forecast: seasonal-mean}) or a weighted mean of both ({@link BlendForecast},
 * {@code forecast: blend}). The detector's spreads, scan and
 * CUSUM only see {@link #forecast()}; they work the same on either.
 *
 * <p>Implementations are deterministic, allocate nothing per interval and write their state
 * bit-exactly.
 */
sealed interface SeasonalForecast permits HoltWinters, SeasonalMean, BlendForecast {
    /** The forecast for the next interval, on the model scale. */
    double forecast();

    /** True once the forecast is a model forecast (a whole season seen); before it, a mean of what was seen. */
    boolean initialised();

    /** Learns the next interval's observation on the model scale (already clipped by the caller). */
    void update(double y);

    /** Moves past an interval with no observation (a gap, a closed date): nothing learned. */
    void skip();

    /** Sets the season position of the next interval ({@link SeasonClock}). */
    void alignPhase(int phase);

    /** Intervals seen so far (observations and skipped ones). */
    long count();

    /** Position in the season of the next interval, 0 .. P−1. */
    int phase();

    int seasonLength();

    /** Back to the state of a new model (pooled series reuse it). */
    void reset();

    /** Writes the state bit-exactly. */
    void write(StateWriter w);

    /** Restores what {@link #write} wrote, refusing a snapshot of another shape. */
    void read(StateReader r);

    /** Folds the state into {@code h}. */
    long hash(long h);

    /** An upper bound of the bytes {@link #write} writes. */
    long stateBytesBound();

    /** {@code p} if it is a phase of a season of {@code seasonLength} intervals, else an exception saying so. */
    static int checkedPhase(final int p, final int seasonLength) {
        if (p < 0 || p >= seasonLength) {
            throw new IllegalArgumentException("phase " + p + " outside 0.." + (seasonLength - 1));
        }
        return p;
    }
}
