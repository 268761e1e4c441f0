package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * Anomaly detection on one fixed-interval series (e.g. orders per hour of one country, from a
 * one-hour tumbling window): a {@link HoltWinters} forecast, an online spread per season phase,
 * a band of {@code expected ± k·sigma}, warm-up, robustness and de-duplication.
 *
 * <pre>
 *  ŷ      = forecast (before seeing y)
 *  sigma  = max( sqrt(v[phase]), minSigma, minRelSigma·|ŷ| )
 *  score  = (y − ŷ) / sigma
 *  C⁺ = max(0, C⁺ + score − slack),  C⁻ = max(0, C⁻ − score − slack)      (two-sided CUSUM)
 *  outside ⇔ |score| &gt; k  or  C⁺ &gt; cusumLimit  or  C⁻ &gt; cusumLimit   (after warm-up, no anomaly in progress)
 *  outside ⇔ |score| &gt; k                                                 (an anomaly in progress: the CUSUM rests at 0)
 *  learn  y* = clamp(y, ŷ − clip·sigma, ŷ + clip·sigma)       (one outlier moves the model little)
 *         v[phase] += r·((y* − ŷ)² − v[phase]),  r = max(sigmaRate, 1/(n+1)) for the phase's n-th error
 *         Holt-Winters update with y*
 * </pre>
 *
 * The spread is kept per phase of the season (busy hours vary more than quiet ones) and is learned
 * from the second season on (the first initialises the forecast). The CUSUM sees a sustained
 * shift (a drop to a fifth of a busy hour's orders is only ~2.5 sigmas an hour) within a few
 * intervals; it restarts from 0 when an anomaly starts. Alerts: none during the first
 * {@code warmupSeasons × seasonLength} intervals; then one {@link AnomalyResult.Status#STARTED}
 * when an observation leaves the band with no anomaly in progress, {@code CONTINUING} while it
 * persists, and {@code ENDED} after {@code quietIntervals} in-band observations in a row (an alert
 * too when {@code alertOnEnd}).
 *
 * <p>Missing intervals: call {@link #observe} with 0 where absence means zero (counts, sums), or
 * {@link #missing} where it means unknown (rates). Intervals must be fed in order, one call each.
 *
 * <p>Deterministic (plain double arithmetic, no clock, no randomness), allocation-free per
 * observation, memory bounded by the season length (two {@code double[P]}). Not thread-safe: one
 * owner thread per detector.
 */
public final class AnomalyDetector {
    private final AnomalySpec spec;
    private final HoltWinters model;
    private final double[] variance;
    private final AnomalyResult result = new AnomalyResult();
    private final long warmup;
    private final boolean log;
    private final boolean poisson;
    private long index;
    private boolean inAnomaly;
    private int quiet;
    private long anomalyStart = -1;
    private double cusumUp;
    private double cusumDown;
    /** Poisson spread: the learned overdispersion (variance over the Poisson variance) and the errors it has seen. */
    private double dispersion = 1.0;
    private long dispersionErrors;

    public AnomalyDetector(final AnomalySpec spec) {
        this.spec = spec;
        this.model = new HoltWinters(spec);
        this.variance = new double[spec.seasonLength()];
        this.warmup = spec.warmupIntervals();
        this.log = spec.scale() == AnomalySpec.Scale.LOG;
        this.poisson = spec.spread() == AnomalySpec.Spread.POISSON;
    }

    /**
     * Feeds the next interval's observation.
     *
     * @param intervalTime the caller's time for the interval (copied into the result)
     * @param y            the observation (0 for a count or sum over an interval without events)
     * @return this detector's result object, refilled
     */
    public AnomalyResult observe(final long intervalTime, final double y) {
        final double x = log ? StrictMath.log1p(Math.max(0.0, y)) : y;
        final int phase = model.phase();
        final double expected = log ? Math.max(0.0, model.forecast()) : model.forecast(); // log(1 + y) of a count or sum is never below 0
        final boolean modelled = model.initialised();
        final double sigma = sigma(phase, expected);
        final double score = poisson ? anscombeScore(y, expected) : (x - expected) / sigma;

        final AnomalyResult r = fill(intervalTime, y, expected, sigma, score);
        if (poisson) {
            anscombeBand(r, expected);
        }
        if (index < warmup) {
            r.status = AnomalyResult.Status.WARMING_UP;
            r.outside = false;
        } else {
            if (inAnomaly) {
                r.outside = Math.abs(score) > spec.k(); // the CUSUM starts anomalies; the band alone ends them
            } else {
                cusumUp = Math.max(0.0, cusumUp + score - spec.cusumSlack());
                cusumDown = Math.max(0.0, cusumDown - score - spec.cusumSlack());
                r.outside = Math.abs(score) > spec.k() || cusumUp > spec.cusumLimit() || cusumDown > spec.cusumLimit();
            }
            decide(r);
        }

        // learn, robustly: an observation far outside counts as one at clip sigmas
        final double limit = spec.clip() * sigma;
        final double learned = modelled ? Math.max(expected - limit, Math.min(expected + limit, x)) : x;
        if (modelled) {
            final double e = learned - expected;
            final long seen = (model.count() - model.seasonLength()) / model.seasonLength();
            final double rate = Math.max(spec.sigmaRate(), 1.0 / (seen + 1));
            variance[phase] += rate * (e * e - variance[phase]);
            if (poisson) {
                final double z = Math.max(-spec.clip(), Math.min(spec.clip(), score)) * Math.sqrt(Math.max(1.0, dispersion));
                dispersion += Math.max(AnomalySpec.DISPERSION_RATE, 1.0 / ++dispersionErrors) * (z * z - dispersion);
            }
        }
        model.update(learned);
        index++;
        return r;
    }

    /**
     * {@link #observe} at a given season phase (from {@link SeasonClock#phase}: the season in local
     * time, whatever the number of intervals since the start).
     */
    public AnomalyResult observeAt(final long intervalTime, final double y, final int phase) {
        model.alignPhase(phase);
        return observe(intervalTime, y);
    }

    /** {@link #missing} at a given season phase. */
    public AnomalyResult missingAt(final long intervalTime, final int phase) {
        model.alignPhase(phase);
        return missing(intervalTime);
    }

    /** Moves past an interval whose value is unknown: nothing learned, the anomaly state unchanged. */
    public AnomalyResult missing(final long intervalTime) {
        final int phase = model.phase();
        final double expected = model.forecast();
        final AnomalyResult r = fill(intervalTime, Double.NaN, expected, sigma(phase, expected), Double.NaN);
        r.status = AnomalyResult.Status.MISSING;
        r.outside = false;
        model.skip();
        index++;
        return r;
    }

    private double sigma(final int phase, final double expected) {
        if (poisson) {
            return Math.sqrt(Math.max(1.0, dispersion) * poissonVariance(expected));
        }
        return Math.max(Math.sqrt(variance[phase]), Math.max(spec.minSigma(), spec.minRelSigma() * Math.abs(expected)));
    }

    /**
     * Poisson spread: the Anscombe residual {@code 2·(√(y + 3/8) − √(m + 3/8)) / √dispersion} with m
     * the expected count; for Poisson counts it has variance ≈ 1 at any m and its tails are far
     * closer to normal than those of log(1 + y) at small counts (0 orders where 3 are expected is
     * a 5% event, not a 3-sigma one).
     */
    private double anscombeScore(final double y, final double expectedLog) {
        final double m = Math.max(0.0, StrictMath.expm1(expectedLog));
        return 2.0 * (Math.sqrt(Math.max(0.0, y) + 0.375) - Math.sqrt(m + 0.375)) / Math.sqrt(Math.max(1.0, dispersion));
    }

    private void anscombeBand(final AnomalyResult r, final double expectedLog) {
        final double root = Math.sqrt(Math.max(0.0, StrictMath.expm1(expectedLog)) + 0.375);
        final double half = spec.k() * Math.sqrt(Math.max(1.0, dispersion)) / 2.0;
        final double low = root - half;
        r.low = low <= 0.0 ? 0.0 : Math.max(0.0, low * low - 0.375);
        r.high = (root + half) * (root + half) - 0.375;
    }

    /** Variance of log(1 + Y), Y ~ Poisson(m), m = max(expected count, poissonFloor): m / (1 + m)². */
    private double poissonVariance(final double expectedLog) {
        final double m = Math.max(StrictMath.expm1(expectedLog), spec.poissonFloor());
        return m / ((1.0 + m) * (1.0 + m));
    }

    private double back(final double v) {
        return log ? StrictMath.expm1(v) : v;
    }

    private AnomalyResult fill(final long intervalTime, final double y, final double expected, final double sigma,
                               final double score) {
        final AnomalyResult r = result;
        r.index = index;
        r.intervalTime = intervalTime;
        r.observed = y;
        r.expected = back(expected);
        r.sigma = sigma;
        r.low = log ? Math.max(0.0, back(expected - spec.k() * sigma)) : back(expected - spec.k() * sigma); // no count below 0
        r.high = back(expected + spec.k() * sigma);
        r.score = score;
        r.alert = false;
        r.anomalyStart = anomalyStart;
        return r;
    }

    private void decide(final AnomalyResult r) {
        if (r.outside) {
            quiet = 0;
            if (inAnomaly) {
                r.status = AnomalyResult.Status.CONTINUING;
            } else {
                inAnomaly = true;
                anomalyStart = index;
                cusumUp = 0.0;
                cusumDown = 0.0;
                r.status = AnomalyResult.Status.STARTED;
                r.alert = true;
            }
        } else if (inAnomaly) {
            if (++quiet >= spec.quietIntervals()) {
                inAnomaly = false;
                quiet = 0;
                r.status = AnomalyResult.Status.ENDED;
                r.alert = spec.alertOnEnd();
            } else {
                r.status = AnomalyResult.Status.CONTINUING;
            }
        } else {
            r.status = AnomalyResult.Status.NORMAL;
        }
        r.anomalyStart = anomalyStart;
    }

    /** True while an anomaly is in progress. */
    public boolean inAnomaly() {
        return inAnomaly;
    }

    /** Intervals fed so far (observations and gaps). */
    public long intervals() {
        return index;
    }

    public HoltWinters model() {
        return model;
    }

    public AnomalySpec spec() {
        return spec;
    }

    /** Back to the state of a new detector (pooled series reuse it). */
    public void reset() {
        model.reset();
        Arrays.fill(variance, 0.0);
        index = 0;
        inAnomaly = false;
        quiet = 0;
        anomalyStart = -1;
        cusumUp = 0.0;
        cusumDown = 0.0;
        dispersion = 1.0;
        dispersionErrors = 0;
    }

    /** Writes the detector's learned state bit-exactly (snapshots; the spec is configuration). */
    /** An upper bound of the bytes {@link #writeState} writes (the model's season is as long as {@code variance}). */
    long stateBytesBound() {
        return 128 + 16L * variance.length;
    }

    public void writeState(final StateWriter w) {
        model.write(w);
        w.putInt(variance.length);
        for (final double v : variance) {
            w.putDouble(v);
        }
        w.putLong(index).putBoolean(inAnomaly).putInt(quiet).putLong(anomalyStart).putDouble(cusumUp).putDouble(cusumDown)
            .putDouble(dispersion).putLong(dispersionErrors);
    }

    /** Restores what {@link #writeState} wrote. */
    public void readState(final StateReader r) {
        model.read(r);
        final int n = r.getInt();
        if (n != variance.length) {
            throw new SnapshotFormatException(n + " spread phases in the snapshot, " + variance.length + " configured");
        }
        for (int i = 0; i < n; i++) {
            variance[i] = r.getDouble();
        }
        index = r.getLong();
        inAnomaly = r.getBoolean();
        quiet = r.getInt();
        anomalyStart = r.getLong();
        cusumUp = r.getDouble();
        cusumDown = r.getDouble();
        dispersion = r.getDouble();
        dispersionErrors = r.getLong();
    }

    /** A deterministic hash of the learned state (replay and snapshot tests). */
    public long stateHash() {
        long h = model.hash(index);
        for (final double v : variance) {
            h = mix(h, Double.doubleToRawLongBits(v));
        }
        h = mix(h, inAnomaly ? 1 : 0);
        h = mix(h, quiet);
        h = mix(h, anomalyStart);
        h = mix(h, Double.doubleToRawLongBits(cusumUp));
        h = mix(h, Double.doubleToRawLongBits(cusumDown));
        h = mix(h, Double.doubleToRawLongBits(dispersion));
        return mix(h, dispersionErrors);
    }

    /** Folds {@code v} into {@code h} (murmur3 finaliser). */
    static long mix(final long h0, final long v) {
        return io.ringfence.engine.model.Mix64.combine(h0, v);
    }
}
