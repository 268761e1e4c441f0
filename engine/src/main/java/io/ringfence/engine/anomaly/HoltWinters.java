package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * Additive Holt-Winters exponential smoothing of one fixed-interval series, with an optionally
 * damped trend and a season of {@code P} intervals ({@code P = 1}: no season).
 *
 * <pre>
 *  forecast      ŷ(t)  = l + φ·b + s[t mod P]
 *  level         l'    = α·(y − s[t mod P]) + (1 − α)·(l + φ·b)
 *  trend         b'    = β·(l' − l) + (1 − β)·φ·b
 *  season        s'[t mod P] = γ·(y − l') + (1 − γ)·s[t mod P]
 *  missing       l' = l + φ·b,  b' = φ·b,  season untouched
 * </pre>
 *
 * Initialisation: the first season's observations are kept as they come; when it is complete the
 * level is their mean, the trend 0 and each seasonal index the observation minus that mean (0 for
 * a phase that was a gap). Until then the forecast is the mean of what has been seen (0 before
 * anything). The season starts with the first observation: gaps before it are not counted, gaps
 * after it are not observations (rate audit: a currency whose first three hours had too few
 * payments to observe had those hours initialised at a rate of 0, and alerted its normal 30 % in
 * them every day for a week).
 *
 * <p>Plain double arithmetic in a fixed order, no clock, no randomness: the same inputs give
 * bit-identical forecasts. Memory is one {@code double[P]}; {@link #update} and {@link #skip}
 * allocate nothing.
 */
public final class HoltWinters implements SeasonalForecast {
    private final double alpha;
    private final double beta;
    private final double phi;
    private final double gamma;
    private final double[] season;
    private double level;
    private double trend;
    private int phase;
    private long count;
    private double initSum;
    /** Observations (not gaps) in the first season, while it is being initialised. */
    private long initObserved;

    public HoltWinters(final AnomalySpec spec) {
        this(spec.alpha(), spec.beta(), spec.phi(), spec.gamma(), spec.seasonLength());
    }

    public HoltWinters(final double alpha, final double beta, final double phi, final double gamma, final int seasonLength) {
        this.alpha = alpha;
        this.beta = beta;
        this.phi = phi;
        this.gamma = gamma;
        this.season = new double[seasonLength];
        Arrays.fill(season, Double.NaN); // a phase the first season does not observe (a gap, or one a local-time jump passes)
    }

    /** The one-step forecast for the next interval. */
    @Override
    public double forecast() {
        if (!initialised()) {
            return initObserved == 0 ? 0.0 : initSum / initObserved;
        }
        return level + phi * trend + season[phase];
    }

    /** True once a whole season has been seen (the forecast is a model forecast from then on). */
    @Override
    public boolean initialised() {
        return count >= season.length;
    }

    /** Learns the next interval's observation (already clipped by the caller if it wants robustness). */
    @Override
    public void update(final double y) {
        final int p = phase;
        if (!initialised()) {
            season[p] = y;
            initSum += y;
            initObserved++;
            count++;
            completeFirstSeason();
        } else {
            final double previous = level;
            final double s = season[p];
            level = alpha * (y - s) + (1.0 - alpha) * (previous + phi * trend);
            trend = beta * (level - previous) + (1.0 - beta) * phi * trend;
            if (season.length > 1) {
                season[p] = gamma * (y - level) + (1.0 - gamma) * s;
            }
            count++;
        }
        phase = p + 1 == season.length ? 0 : p + 1;
    }

    /** At the first season's last interval: the level is the mean of its observations, each phase's index its deviation. */
    private void completeFirstSeason() {
        if (count < season.length) {
            return;
        }
        level = initSum / initObserved; // at least one: the season starts with an observation
        trend = 0.0;
        for (int i = 0; i < season.length; i++) {
            season[i] = Double.isNaN(season[i]) || season.length == 1 ? 0.0 : season[i] - level;
        }
    }

    /**
     * Moves past an interval with no observation (a gap in a series where absence is not zero, e.g.
     * a rate): the level follows the damped trend, nothing is learned. Before the first observation
     * only the phase moves on; in the rest of the first season the interval counts and the phase keeps
     * what it holds (NaN if never observed: its index will be 0, the season's mean).
     */
    @Override
    public void skip() {
        if (!initialised()) {
            if (count > 0) {
                // the phase stays as it is: NaN (not observed) unless a local-time jump brought it round twice (review: a gap
                // in the repeated hour of a DST fall-back wiped the hour's observation)
                count++;
                completeFirstSeason();
            }
            phase = phase + 1 == season.length ? 0 : phase + 1;
            return;
        }
        level = level + phi * trend;
        trend = phi * trend;
        count++;
        phase = phase + 1 == season.length ? 0 : phase + 1;
    }

    /**
     * Sets the season position of the next interval (a caller that derives phases from local time;
     * see {@link SeasonClock}). Without calls the phase advances by one per interval.
     */
    @Override
    public void alignPhase(final int p) {
        phase = SeasonalForecast.checkedPhase(p, season.length);
    }

    /** Observations and skipped intervals since the first observation. */
    @Override
    public long count() {
        return count;
    }

    /** Position in the season of the next interval, 0 .. P−1. */
    @Override
    public int phase() {
        return phase;
    }

    public double level() {
        return level;
    }

    public double trend() {
        return trend;
    }

    /** The seasonal index for a phase (meaningful once {@link #initialised()}; NaN before for a phase not yet observed). */
    public double season(final int phase) {
        return season[phase];
    }

    @Override
    public int seasonLength() {
        return season.length;
    }

    /** Back to the state of a new model (pooled series reuse it). */
    @Override
    public void reset() {
        Arrays.fill(season, Double.NaN);
        level = 0.0;
        trend = 0.0;
        phase = 0;
        count = 0;
        initSum = 0.0;
        initObserved = 0;
    }

    /** Writes the model's state bit-exactly (doubles as raw bits). */
    @Override
    public void write(final StateWriter w) {
        w.putDouble(level).putDouble(trend).putInt(phase).putLong(count).putDouble(initSum).putLong(initObserved).putInt(season.length);
        for (final double s : season) {
            w.putDouble(s);
        }
    }

    @Override
    public void read(final StateReader r) {
        level = r.getDouble();
        trend = r.getDouble();
        phase = r.getInt("season phase", 0, season.length - 1);
        count = r.getLong();
        initSum = r.getDouble();
        initObserved = r.getLong();
        if (initObserved < 0 || initObserved > count || count < season.length && count > 0 && initObserved == 0) {
            throw new SnapshotFormatException(initObserved + " first-season observations in the snapshot of " + count + " intervals");
        }
        final int n = r.getInt();
        if (n != season.length) {
            throw new SnapshotFormatException("a season of " + n + " intervals in the snapshot, " + season.length + " configured");
        }
        for (int i = 0; i < n; i++) {
            season[i] = r.getDouble();
        }
    }

    @Override
    public long hash(final long h0) {
        long h = AnomalyDetector.mix(h0, Double.doubleToRawLongBits(level));
        h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(trend));
        h = AnomalyDetector.mix(h, phase);
        h = AnomalyDetector.mix(h, count);
        h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(initSum));
        h = AnomalyDetector.mix(h, initObserved);
        for (final double s : season) {
            h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(s));
        }
        return h;
    }

    /** Level, trend, phase, count, initial sum and observations, the season's length and its doubles. */
    @Override
    public long stateBytesBound() {
        return 8 + 8 + 4 + 8 + 8 + 8 + 4 + 8L * season.length;
    }
}
