package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * A robust seasonal forecast: the expected value of an interval is a trimmed mean (the median at
 * {@code seasonTrim} 0.5) of the same season phase's observations in the last {@code seasonWindow}
 * seasons, optionally times a level factor that follows recent totals.
 *
 * <pre>
 *  held     v[p][0 .. n−1]: phase p's last n ≤ W learned observations, in the series' units
 *  base(p)  = mean of v[p] sorted, without its t lowest and t highest, t = min(⌊trim·n⌋, ⌊(n − 1)/2⌋)
 *  level    L = A / B,  A ← A + λ·(y − A),  B ← B + λ·(base − B)   (λ = levelRate; 0: L = 1)
 *  forecast ŷ = f(L · base(p)),  f = log(1 + ·) on the log scale, identity on the linear one
 *  no value held at p (the first season, closures): ŷ = the mean of everything learned so far
 * </pre>
 *
 * Closed intervals and gaps ({@link #skip}) store nothing; an observation the detector clipped
 * (an anomaly in progress) is stored clipped, so an outage moves at most one of the W values of
 * each phase it covers to the band's edge, and the median does not follow it. Values are held in
 * the series' own units (a mean of counts, not of their logarithms, which would be biased low) as
 * {@code float}: 1,000 series of a week of hours over 6 weeks hold 4 MB, not 8, and a float's 24
 * bits hold counts exactly and amounts to 1 part in 10 million, far below any forecast's error.
 *
 * <p>The default {@code seasonTrim} is 0, the mean of the held (clipped) values: on Online Retail's
 * hourly orders the median was measured worse (of a few small counts it is coarse: of 0, 0, 1, 0,
 * 2, 0 it is 0), and the clip already keeps outages out; the level factor was measured not to pay
 * (its ratio is noise on sparse series) and is off by default. docs/anomaly.md "Anomaly monitoring".
 *
 * <p>Plain float and double arithmetic in a fixed order ({@code StrictMath}), no clock: the same
 * inputs give bit-identical forecasts. Memory: {@code float[P·W]}, {@code int[P]} and a
 * {@code double[W]} scratch; nothing is allocated per interval. Not thread-safe.
 */
public final class SeasonalMean implements SeasonalForecast {
    private final int window;
    private final double trim;
    private final double levelRate;
    private final boolean log;
    /** Phase-major: phase p's ring is values[p·W .. p·W + W − 1]. */
    private final float[] values;
    /** Per phase: observations stored, kept within 0 .. 2W − 1 (held = min(stored, W); the ring's next slot is stored mod W). */
    private final int[] stored;
    private final double[] scratch;
    private int phase;
    private long count;
    /** Every learned observation's sum (model scale) and number: the forecast of a phase with none held. */
    private double learnedSum;
    private long learned;
    private double levelActual;
    private double levelBase;

    public SeasonalMean(final AnomalySpec spec) {
        this(spec.seasonLength(), spec.seasonWindow(), spec.seasonTrim(), spec.levelRate(), spec.scale() == AnomalySpec.Scale.LOG);
    }

    /**
     * @param seasonLength intervals per season, P ≥ 1
     * @param window       seasons held per phase, W ≥ 1
     * @param trim         share of the held values trimmed at each end, 0 (mean) .. 0.5 (median)
     * @param levelRate    weight of a new interval in the level factor's averages, 0 (none) .. 1
     * @param log          the model scale is log(1 + y) (values are held in the series' units)
     */
    public SeasonalMean(final int seasonLength, final int window, final double trim, final double levelRate, final boolean log) {
        if (seasonLength < 1 || window < 1 || !(trim >= 0.0 && trim <= 0.5) || !(levelRate >= 0.0 && levelRate <= 1.0)) {
            throw new IllegalArgumentException("seasonal mean: seasonLength " + seasonLength + " and window " + window
                + " must be at least 1, trim " + trim + " within 0..0.5, levelRate " + levelRate + " within 0..1");
        }
        this.window = window;
        this.trim = trim;
        this.levelRate = levelRate;
        this.log = log;
        this.values = new float[Math.multiplyExact(seasonLength, window)];
        this.stored = new int[seasonLength];
        this.scratch = new double[window];
    }

    @Override
    public double forecast() {
        final int n = held(phase);
        if (n == 0) {
            return learned == 0 ? 0.0 : learnedSum / learned;
        }
        final double v = level() * base(phase, n);
        return log ? StrictMath.log1p(Math.max(0.0, v)) : v;
    }

    /** The trimmed mean of the phase's n held values, in the series' units (the level factor not applied). */
    private double base(final int p, final int n) {
        final int from = p * window;
        for (int i = 0; i < n; i++) { // insertion sort: W is small
            final double v = values[from + i];
            int j = i - 1;
            while (j >= 0 && scratch[j] > v) {
                scratch[j + 1] = scratch[j];
                j--;
            }
            scratch[j + 1] = v;
        }
        final int t = Math.min((int) (trim * n), (n - 1) / 2);
        double sum = 0.0;
        for (int i = t; i < n - t; i++) {
            sum += scratch[i];
        }
        return sum / (n - 2 * t);
    }

    /** The level factor: recent observations over their seasonal bases (1 without a level rate or before anything). */
    public double level() {
        return levelBase > 0.0 ? levelActual / levelBase : 1.0;
    }

    private int held(final int p) {
        return Math.min(stored[p], window);
    }

    @Override
    public boolean initialised() {
        return count >= stored.length;
    }

    @Override
    public void update(final double y) {
        final int p = phase;
        final double units = log ? StrictMath.expm1(y) : y;
        if (levelRate > 0.0 && initialised()) {
            final int n = held(p);
            if (n > 0) {
                levelActual += levelRate * (units - levelActual);
                levelBase += levelRate * (base(p, n) - levelBase);
            }
        }
        values[p * window + stored[p] % window] = (float) units;
        final int next = stored[p] + 1;
        stored[p] = next >= 2 * window ? next - window : next; // stays in 0 .. 2W − 1: held and slot order unchanged
        learnedSum += y;
        learned++;
        advance();
    }

    /**
     * Moves past a closed or missing interval: nothing stored. Before the first observation only the phase moves on, so
     * that {@link #count()} and {@link #initialised()} count from it and a series first observed late warms up from its
     * first observation, as with {@link HoltWinters} (review: it was judged from that observation, against a forecast of 0).
     */
    @Override
    public void skip() {
        if (learned == 0) {
            phase = phase + 1 == stored.length ? 0 : phase + 1;
            return;
        }
        advance();
    }

    private void advance() {
        count++;
        phase = phase + 1 == stored.length ? 0 : phase + 1;
    }

    @Override
    public void alignPhase(final int p) {
        phase = SeasonalForecast.checkedPhase(p, stored.length);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public int phase() {
        return phase;
    }

    @Override
    public int seasonLength() {
        return stored.length;
    }

    /** Seasons held per phase at most. */
    public int window() {
        return window;
    }

    /** Values held for a phase now, 0 .. window. */
    public int heldAt(final int p) {
        return held(p);
    }

    @Override
    public void reset() {
        Arrays.fill(values, 0.0f);
        Arrays.fill(stored, 0);
        phase = 0;
        count = 0;
        learnedSum = 0.0;
        learned = 0;
        levelActual = 0.0;
        levelBase = 0.0;
    }

    @Override
    public void write(final StateWriter w) {
        w.putInt(phase).putLong(count).putDouble(learnedSum).putLong(learned).putDouble(levelActual).putDouble(levelBase);
        w.putInt(stored.length).putInt(window);
        w.putInts(stored, 0, stored.length);
        for (final float v : values) {
            w.putInt(Float.floatToRawIntBits(v));
        }
    }

    @Override
    public void read(final StateReader r) {
        phase = r.getInt("season phase", 0, stored.length - 1);
        count = r.getLong();
        learnedSum = r.getDouble();
        learned = r.getLong();
        levelActual = r.getDouble();
        levelBase = r.getDouble();
        final int p = r.getInt();
        final int w = r.getInt();
        if (p != stored.length || w != window) {
            throw new SnapshotFormatException("a seasonal mean of " + p + " phases × " + w + " seasons in the snapshot, "
                + stored.length + " × " + window + " configured");
        }
        r.getInts(stored, 0, stored.length);
        for (final int s : stored) {
            if (s < 0 || s >= 2 * window) {
                throw new SnapshotFormatException("a seasonal mean phase with " + s + " stored values in the snapshot (0.." + (2 * window - 1) + ")");
            }
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(r.getInt());
        }
    }

    @Override
    public long hash(final long h0) {
        long h = AnomalyDetector.mix(h0, phase);
        h = AnomalyDetector.mix(h, count);
        h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(learnedSum));
        h = AnomalyDetector.mix(h, learned);
        h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(levelActual));
        h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(levelBase));
        for (final int s : stored) {
            h = AnomalyDetector.mix(h, s);
        }
        for (final float v : values) {
            h = AnomalyDetector.mix(h, Float.floatToRawIntBits(v));
        }
        return h;
    }

    /** The fixed fields, the phase counts and the held floats. */
    @Override
    public long stateBytesBound() {
        return 4 + 8 + 8 + 8 + 8 + 8 + 4 + 4 + 4L * stored.length + 4L * values.length;
    }
}
