package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * Anomaly detection on one fixed-interval series (e.g. orders per hour of one country, from a
 * one-hour tumbling window): a forecast ({@link HoltWinters}, {@link SeasonalMean} with
 * {@code forecast: seasonal-mean}, or a weighted mean of both, {@link BlendForecast}, with
 * {@code forecast: blend}), an online spread per season phase,
 * a band of {@code expected ± k·sigma}, warm-up, robustness and de-duplication.
 *
 * <pre>
 *  ŷ      = forecast (before seeing y)
 *  sigma  = max( sqrt(v[phase]), minSigma, minRelSigma·|ŷ| )      (log scale: minRelSigma, a sigma there is relative)
 *  score  = (y − ŷ) / sigma
 *  C⁺ = max(0, C⁺ + score − slack),  C⁻ = max(0, C⁻ − score − slack)      (two-sided CUSUM)
 *  scan   z_n = the n last intervals' sum tested, n = 1..scanIntervals (counts: signed root NB deviance; phase: Σscore/√n)
 *  outside ⇔ |score| &gt; k  or  any |z_n| &gt; k  or  C⁺ &gt; cusumLimit  or  C⁻ &gt; cusumLimit   (after warm-up, no anomaly in progress)
 *            (direction up: score &gt; k, z_n &gt; k, C⁺ only; down: the other side only; the side not watched is inside)
 *  outside ⇔ |score| &gt; k  or  any |z_n| &gt; k, n ≤ run + 1                 (an anomaly in progress: the CUSUM rests at 0,
 *            or, for a drop, any z_n &lt; −k/2, n ≤ run + 1                   the scan restarts with the anomaly; run = the
 *                                                                          quiet run with a drop's neutral zeros in it)
 *  neutral  a drop's interval inside by the above with y = 0 (counts, sums), within a season of the anomaly's
 *           start: neither quiet nor outside (the scan tests the quiet run with its neutral zeros)
 *  a count anomaly that rose and goes below the band: a new anomaly, a drop (STARTED); one that dropped and whose
 *         interval goes above the band while it is held: a new anomaly, a rise (STARTED)
 *  hold   a drop in progress (started below the band, or an anomaly gone below it), or with direction up a rise,
 *         Holt-Winters: nothing learned for its first holdIntervals
 *  learn  y* = clamp(y, ŷ − clip·sigma, ŷ + clip·sigma)       (one outlier moves the model little)
 *         v[phase] += r·((y* − ŷ)² − v[phase]),  r = max(sigmaRate, 1/(n+1)) for the phase's n-th error
 *         forecast model update with y* (Holt-Winters, or stored as the phase's newest value)
 * </pre>
 *
 * The spread is kept per phase of the season (busy hours vary more than quiet ones) and is learned
 * from the second season on (the first initialises the forecast). The CUSUM sees a sustained
 * shift (a drop to a fifth of a busy hour's orders is only ~2.5 sigmas an hour) within a few
 * intervals; it restarts from 0 when an anomaly starts. Alerts: none during the first
 * {@code warmupSeasons × seasonLength} intervals; then one {@link AnomalyResult.Status#STARTED}
 * when an observation leaves the band with no anomaly in progress, {@code CONTINUING} while it
 * persists, and {@code ENDED} after {@code quietIntervals} in-band observations in a row whose sums
 * are inside the scan's bands too (an alert too when {@code alertOnEnd}): a run of zeros inside a
 * band the forecast has widened down to 0 during an outage does not end it. A drop (an anomaly
 * that started below the band; for counts, a rise that goes below the band gives way to a new
 * anomaly, a drop, and a drop whose interval goes above it while the drop is held to a new
 * anomaly, a rise) ends only when those sums are not below half the band either, and for counts
 * and sums an interval of 0 inside the band is, for a season from the anomaly's start, neither quiet
 * nor outside (zeros in night hours, whose forecast may be a fraction of an order, are no sign that
 * an outage is over, nor do they break a sparse series' quiet run; a key silent for longer is taken
 * as gone, so that its drop ends and the series can be forgotten), and with
 * Holt-Winters its first {@code holdIntervals} intervals are not learned at all, as if unknown: the
 * level does not sink into an outage (which would end it at zero and take the return of the orders
 * for a spike); a drop that lasts longer is learned as it comes and ends as the series' new level.
 *
 * <p>Spreads: {@code phase} as above; {@code poisson} (counts) and {@code compound} (sums of a few
 * large amounts: counts of a learned unit) replace sigma by a negative binomial around the
 * expected count (see {@link AnomalySpec.Spread}). Closed dates ({@link ClosureCalendar}, the
 * interval time read as epoch microseconds) are neither learned nor decided.
 *
 * <p>Missing intervals: call {@link #observe} with 0 where absence means zero (counts, sums), or
 * {@link #missing} where it means unknown (rates). Intervals must be fed in order, one call each.
 *
 * <p>Deterministic (plain double arithmetic, no clock, no randomness), allocation-free per
 * observation, memory bounded by the season length and the scan (two {@code double[P]}, or with the
 * seasonal mean one {@code double[P]} and {@code float[P·seasonWindow]}, with the blend both; two
 * {@code double[scanIntervals]}). Not thread-safe: one
 * owner thread per detector.
 */
public final class AnomalyDetector {
    private final AnomalySpec spec;
    /** The side(s) of the band that start an anomaly (the other side is inside for every test). */
    private final AnomalySpec.Direction direction;
    private final SeasonalForecast model;
    private final double[] variance;
    private final AnomalyResult result = new AnomalyResult();
    private final long warmup;
    private final boolean log;
    private final boolean poisson;
    private final boolean binomial;
    /** Binomial spread: the base count n of the interval being observed (set by {@link #observeRateAt} for one call). */
    private double trials = Double.NaN;
    /** Binomial spread: the learned overdispersion, an EWMA of clipped squared scores (used as at least 1). */
    private double dispersion = 1.0;
    private final boolean compound;
    /**
     * Compound spread: the learned unit, an EWMA of (y − m)²/max(y, m) over intervals with y &gt; 0, and how many it has seen.
     * Before the forecast is initialised (no m yet) it is the largest y seen, with the count left at 0 so that the first
     * learned interval replaces it; until then it serves the score and band only, learning uses a unit of 1 as before. A
     * key whose only amounts came in its first season had a unit of 1 (each pound an independent unit), and the same hour
     * a season later, without its invoice, scored -32 sigma (audit: Lebanon's one order in Online Retail).
     */
    private double typicalAmount;
    private long unitErrors;
    private long index;
    private boolean inAnomaly;
    private int quiet;
    private long anomalyStart = -1;
    /** The anomaly in progress is a drop (started below the band, or a count rise that went below it): it ends on firmer evidence and is held from learning. */
    private boolean drop;
    /** Intervals of the anomaly in progress not learned ({@code holdIntervals}). */
    private int held;
    /** A drop's zeros since its quiet run began (or since it broke): the scan tests the run with them. */
    private int neutrals;
    private double cusumUp;
    private double cusumDown;
    /**
     * Poisson spread, the learned overdispersion as a negative binomial's 1/r = excess / squares:
     * EWMAs of the variance beyond Poisson, (y − m)² − m, and of m², and the errors they have seen.
     */
    private double excess;
    private double squares;
    private long dispersionErrors;
    private final ClosureCalendar closures;
    /**
     * Half an interval: an interval is closed when its middle falls on a closed local date, i.e. on the local day it mostly
     * covers (anomaly audit: a daily window of a New York shop runs 19:00 to 19:00 local, so by its start the closed day's
     * interval was open and alerted while the next, a normal day, was skipped); for hourly windows the date it starts on.
     */
    private final long closureProbe;
    /** The scan of the last intervals, a ring: observations (Poisson and compound spreads) or scores (phase spread). */
    private final double[] scanObserved;
    /** The scan's expected counts (Poisson spread) or expected amounts (compound: put in units as they are summed). */
    private final double[] scanExpected;
    private int scanCount;
    private int scanNext;
    /**
     * The scan's sum farthest outside in this observation (not state: set by {@link #scanOutside}
     * for the alert of the same call): its length (0: none outside), its summed observations in the metric's units (the
     * counts, the amounts; NaN for the phase and binomial spreads), summed expected counts (in units), its negative
     * binomial 1/r, and its score.
     */
    private int firedIntervals;
    /** The lowest score of the sums this observation's scan tested (not state, like the fired ones). */
    private double lowestScan;
    /** This observation is a zero during a drop that neither ends it nor breaks its quiet run (not state: set and used in one call). */
    private boolean neutral;
    private double firedObserved;
    private double firedExpected;
    private double firedInverse;
    private double firedScore;

    public AnomalyDetector(final AnomalySpec spec) {
        this(spec, 0);
    }

    /** @param intervalMicros the length of the intervals it observes (its window's size), for the closed dates */
    public AnomalyDetector(final AnomalySpec spec, final long intervalMicros) {
        this.spec = spec;
        this.direction = spec.direction();
        this.closureProbe = Math.max(0, intervalMicros / 2);
        this.model = switch (spec.forecast()) {
            case SEASONAL_MEAN -> new SeasonalMean(spec);
            case BLEND -> new BlendForecast(spec);
            case HOLT_WINTERS -> new HoltWinters(spec);
        };
        this.variance = new double[spec.seasonLength()];
        this.warmup = spec.warmupIntervals();
        this.log = spec.scale() == AnomalySpec.Scale.LOG;
        this.compound = spec.spread() == AnomalySpec.Spread.COMPOUND;
        this.poisson = spec.spread() == AnomalySpec.Spread.POISSON || compound;
        this.binomial = spec.spread() == AnomalySpec.Spread.BINOMIAL;
        this.closures = spec.closures();
        this.scanObserved = new double[spec.scanIntervals()];
        this.scanExpected = new double[spec.scanIntervals()];
    }

    /**
     * Feeds the next interval's observation.
     *
     * @param intervalTime the interval's start, epoch microseconds (copied into the result; closed dates are looked up by its
     *                     middle)
     * @param y            the observation (0 for a count or sum over an interval without events)
     * @return this detector's result object, refilled
     */
    public AnomalyResult observe(final long intervalTime, final double y) {
        if (binomial && !(trials >= 1.0)) {
            throw new IllegalStateException("a binomial spread observes rates with their base count: use observeRateAt");
        }
        if (closures.isClosed(intervalTime + closureProbe)) {
            return closed(intervalTime, y);
        }
        final double x = log ? StrictMath.log1p(Math.max(0.0, y)) : y;
        final int phase = model.phase();
        final double expected = log ? Math.max(0.0, model.forecast()) : model.forecast(); // log(1 + y) of a count or sum is never below 0
        final boolean modelled = model.initialised();
        final double unit = unit();
        final double sigma = sigma(phase, expected, unit);
        // until the first interval that can be learned sets it, the unit is the first season's largest sum, for the score
        // and band only: learning goes on with a unit of 1 as it did before (the measured figures rest on it)
        final double learnUnit = compound && unitErrors == 0 ? 1.0 : unit;
        final double learnSigma = learnUnit == unit ? sigma : sigma(phase, expected, learnUnit);
        final double score = poisson ? anscombeScore(y / unit, expected, unit)
            : binomial ? BinomialSpread.score(y, expected, trials, dispersion) : (x - expected) / sigma;

        final AnomalyResult r = fill(intervalTime, y, expected, sigma, score);
        if (poisson) {
            anscombeBand(r, expected, unit);
        } else if (binomial) {
            BinomialSpread.band(r, expected, trials, spec.k(), dispersion);
        }
        if (index < warmup || model.count() < warmup || !modelled) {
            // gaps before a series' first observation neither initialise the forecast (every forecast counts from it) nor warm it
            // up: warmupSeasons from the first observation (review: a key first observed a season late was judged from its
            // first modelled interval, against one season of raw values and an unlearned spread)
            r.status = AnomalyResult.Status.WARMING_UP;
            r.outside = false;
        } else {
            if (inAnomaly) {
                // the CUSUM starts anomalies; the band ends them, and the scan over the quiet intervals so far: an outage
                // the forecast has partly learned (zeros inside a band that widened down to 0) is still a run of intervals
                // whose sum is far below what was expected, so it does not end while it lasts
                final boolean scan = scanOutside(y, expected, score, unit, quiet + neutrals + 1);
                // a drop ends only once the quiet run is not below half the band either: zeros in night hours, where a
                // few orders were expected, are no sign that an outage is over
                final boolean beyond = direction.beyond(score, spec.k());
                r.outside = scan || beyond || (drop && lowestScan < -spec.k() / 2);
                final double side = beyond ? score : scan ? firedScore : 0.0;
                if (poisson && !compound && r.outside
                    && (drop ? direction.up() && score > spec.k() && held < spec.holdIntervals() : direction.down() && side < 0.0)) {
                    // counts: a rise that went below the band (a burst of retries, then an outage) is over, and a drop starts;
                    // a drop whose interval goes above the band by its own score (the outage is over and the orders come back
                    // as a burst) is over, and a rise starts: alerted as a new anomaly (the old one's end is not reported apart;
                    // audit: a 5x hour right after an outage was never alerted, as the drop's CONTINUING; the scan alone is not
                    // enough there: it alerted the mere return of the orders after a day's outage). Only while the drop is held
                    // from learning: after holdIntervals the forecast has sunk into the outage, and the orders' return scores far
                    // above it (review: 4 false rises in 12 runs of a 36-hour outage). Not sums, where a large invoice and
                    // then a quiet hour are common (switching cost UK revenue a quarter of its shifts on the Online Retail
                    // harness: anomalies held open longer)
                    inAnomaly = false;
                    trigger(r, unit);
                }
                // nor is an interval without a single order (count or sum 0) where the forecast is a fraction of one: for a
                // season from the anomaly's start it neither ends a drop nor breaks its quiet run (a sparse series' zeros
                // between quiet hours are normal); a key silent for longer is taken as gone, its zeros judged again
                neutral = inAnomaly && !r.outside && drop && poisson && !(y > 0.0) && index - anomalyStart < model.seasonLength();
            } else {
                cusumUp = Math.max(0.0, cusumUp + score - spec.cusumSlack());
                cusumDown = Math.max(0.0, cusumDown - score - spec.cusumSlack());
                final boolean scan = scanOutside(y, expected, score, unit, Integer.MAX_VALUE);
                r.outside = scan || direction.beyond(score, spec.k()) || cusumOutside();
                if (r.outside) {
                    trigger(r, unit); // before decide() restarts the CUSUM
                }
            }
            decide(r);
        }

        // a drop in progress is not learned for holdIntervals (Holt-Winters): an outage is not the new level; nor is a rise
        // watched alone (direction up): a failure rate at 20 % for 6 hours was learned as the level and ENDED in its 4th hour
        final boolean hold = inAnomaly && (drop || !direction.down()) && held < spec.holdIntervals();
        if (hold) {
            held++;
        }
        // learn, robustly: an observation far outside counts as one at clip sigmas
        final double limit = spec.clip() * learnSigma;
        final double learned = modelled ? Math.max(expected - limit, Math.min(expected + limit, x)) : x;
        if (modelled && !hold) {
            final double e = learned - expected;
            final long seen = (model.count() - model.seasonLength()) / model.seasonLength();
            final double rate = Math.max(spec.sigmaRate(), 1.0 / (seen + 1));
            variance[phase] += rate * (e * e - variance[phase]);
            final double m = Math.max(0.0, StrictMath.expm1(expected));
            if (poisson && m >= AnomalySpec.DISPERSION_MIN_COUNT * learnUnit) {
                learnDispersion(y / learnUnit, m / learnUnit);
            }
            if (binomial) {
                final double z = Math.max(-spec.clip(), Math.min(spec.clip(), score)) * Math.sqrt(Math.max(1.0, dispersion));
                dispersion += Math.max(AnomalySpec.DISPERSION_RATE, 1.0 / ++dispersionErrors) * (z * z - dispersion);
            }
            if (compound && y > 0.0) {
                final double error = y - m;
                typicalAmount += Math.max(AnomalySpec.DISPERSION_RATE, 1.0 / ++unitErrors) * (error * error / Math.max(y, m) - typicalAmount);
            }
        }
        if (compound && !modelled && y > typicalAmount) {
            typicalAmount = y; // no forecast yet: an interval's sum is its one amount, until intervals can be learned
        }
        if (hold) {
            model.skip();
        } else {
            model.update(learned);
        }
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

    /**
     * A rate's interval (binomial spread): {@code rate} = k/n of the interval, {@code trials} = n ≥ 1.
     * The caller decides which intervals have too few trials to observe ({@code minCount}).
     */
    public AnomalyResult observeRateAt(final long intervalTime, final double rate, final long trials, final int phase) {
        this.trials = trials;
        final AnomalyResult r = observeAt(intervalTime, rate, phase);
        this.trials = Double.NaN;
        return r;
    }

    /** {@link #missing} at a given season phase. */
    public AnomalyResult missingAt(final long intervalTime, final int phase) {
        model.alignPhase(phase);
        return missing(intervalTime);
    }

    /**
     * Learns the overdispersion from one count y where m (at least {@link AnomalySpec#DISPERSION_MIN_COUNT})
     * were expected, y clipped to {@code clip} standard deviations. Below one expected count m² is
     * small against m: the quadratic term cannot be told from the forecast's own noise there.
     */
    private void learnDispersion(final double y, final double m) {
        final double sd = Math.sqrt(Math.max(m, spec.poissonFloor()) * (1.0 + m * inverseSize()));
        final double yc = Math.max(m - spec.clip() * sd, Math.min(m + spec.clip() * sd, Math.max(0.0, y)));
        final double rate = Math.max(AnomalySpec.DISPERSION_RATE, 1.0 / ++dispersionErrors);
        excess += rate * ((yc - m) * (yc - m) - m - excess);
        squares += rate * (m * m - squares);
    }

    /** The negative binomial's 1/r learned so far (0: Poisson). */
    private double inverseSize() {
        return squares > 0.0 ? Math.max(0.0, excess / squares) : 0.0;
    }

    /** Variance over the Poisson variance at expected count m: 1 + m/r. */
    private double dispersionAt(final double m) {
        return 1.0 + m * inverseSize();
    }

    /**
     * Pushes this interval into the scan and tests the sums of the last 1 .. min(scanIntervals,
     * {@code most}) intervals: Poisson and compound spreads, the signed root of the negative binomial
     * deviance of the summed counts against the summed expectations ({@link CountDeviance}); phase
     * spread, the sum of scores ÷ √n. During an anomaly {@code most} is the quiet run so far and this
     * interval: the intervals that would end it, tested together.
     */
    private boolean scanOutside(final double y, final double expectedLog, final double score, final double unit,
                                final int most) {
        final int n = scanObserved.length;
        // compound: the amounts themselves (y and the forecast in money), put in units of the unit of now as they are
        // summed, so a scan's sum is the real sum of its intervals (anomaly audit: it was the sum of each interval's
        // units times the unit of now, 24828.5 for a real 23932.9, "above" a band [0.0, 24505.2] it was inside)
        scanObserved[scanNext] = poisson ? Math.max(0.0, y) : score;
        scanExpected[scanNext] = compound ? Math.max(0.0, StrictMath.expm1(expectedLog)) : poisson ? expectedCount(expectedLog, unit) : 0.0;
        final double inverse = inverseSize();
        scanNext = scanNext + 1 == n ? 0 : scanNext + 1;
        scanCount = Math.min(n, scanCount + 1);
        double observed = 0.0;
        double expected = 0.0;
        double expectedSquares = 0.0;
        double amount = 0.0;
        boolean outside = false;
        firedIntervals = 0;
        final int sums = Math.min(scanCount, most);
        for (int w = 1, i = scanNext; w <= sums; w++) {
            i = i == 0 ? n - 1 : i - 1;
            final double expectedHere = compound ? Math.max(scanExpected[i] / unit, spec.poissonFloor()) : scanExpected[i];
            amount += scanObserved[i];
            observed += compound ? scanObserved[i] / unit : scanObserved[i];
            expected += expectedHere;
            expectedSquares += expectedHere * expectedHere;
            // a sum of NB counts of one size r and means m_i: NB of mean Σm_i and variance Σm_i + Σm_i²/r
            final double sumInverse = poisson ? inverse * expectedSquares / (expected * expected) : 0.0;
            final double z = poisson ? CountDeviance.score(observed, expected, sumInverse) : observed / Math.sqrt(w);
            lowestScan = w == 1 ? z : Math.min(lowestScan, z);
            if (direction.beyond(z, spec.k())) {
                if (!outside || Math.abs(z) > Math.abs(firedScore)) { // the sum farthest outside; the shortest on a tie
                    firedIntervals = w;
                    firedObserved = poisson ? amount : Double.NaN; // in the metric's own units (counts, money)
                    firedExpected = expected;
                    firedInverse = sumInverse;
                    firedScore = z;
                }
                outside = true;
            }
        }
        return outside;
    }

    /**
     * Says which test started the anomaly in {@code r} (the first that holds: the interval's band,
     * the scan, the CUSUM) and, for a scan of counts or sums, the summed intervals' numbers in the
     * metric's units (the real sum; expected and band: counts times {@code unit}): the sums scoring ∓k.
     */
    private void trigger(final AnomalyResult r, final double unit) {
        if (direction.beyond(r.score, spec.k())) {
            r.trigger = AnomalyResult.Trigger.INTERVAL;
        } else if (firedIntervals > 0) {
            r.trigger = AnomalyResult.Trigger.SCAN;
            r.scanIntervals = firedIntervals;
            r.scanScore = firedScore;
            if (poisson) {
                r.scanObserved = firedObserved;
                r.scanExpected = firedExpected * unit;
                r.scanLow = CountDeviance.bound(firedExpected, firedInverse, -spec.k()) * unit;
                r.scanHigh = CountDeviance.bound(firedExpected, firedInverse, spec.k()) * unit;
            }
        } else {
            r.trigger = AnomalyResult.Trigger.CUSUM;
            r.cusum = direction.up() && cusumUp > spec.cusumLimit() ? cusumUp : -cusumDown;
            r.cusumLimit = spec.cusumLimit();
        }
    }

    /** The CUSUM beyond its limit on a side {@code direction} watches. */
    private boolean cusumOutside() {
        return direction.up() && cusumUp > spec.cusumLimit() || direction.down() && cusumDown > spec.cusumLimit();
    }

    /** The expected count of the Poisson spread: the forecast back from log(1 + y), at least poissonFloor. */
    private double expectedCount(final double expectedLog, final double unit) {
        return Math.max(StrictMath.expm1(expectedLog) / unit, spec.poissonFloor());
    }

    /** An interval on a closed date: nothing learned, nothing decided, the anomaly state and the scan unchanged. */
    private AnomalyResult closed(final long intervalTime, final double y) {
        final int phase = model.phase();
        final double expected = model.forecast();
        final AnomalyResult r = fill(intervalTime, y, expected, sigma(phase, expected, unit()), Double.NaN);
        r.status = AnomalyResult.Status.CLOSED;
        r.outside = false;
        model.skip();
        index++;
        if (inAnomaly) {
            // a closed interval is no part of an anomaly's season (the zeros rule counts one from its start): the start moves
            // on with it (anomaly audit: a UK drop from 2010-12-22 ENDED at 02:00 on the night after the 11-day Christmas
            // closure, before any order came, its season used up by the closed days)
            anomalyStart++;
        }
        return r;
    }

    /**
     * Moves past an interval whose value is unknown: nothing learned, the anomaly state unchanged; the scan starts afresh
     * after it (its sums are of consecutive intervals: rate audit, "scan of the last 2 intervals" summed 21:00 and 08:00 the
     * next morning across the night's gaps).
     */
    public AnomalyResult missing(final long intervalTime) {
        final int phase = model.phase();
        final double expected = model.forecast();
        final AnomalyResult r = fill(intervalTime, Double.NaN, expected, sigma(phase, expected, unit()), Double.NaN);
        r.status = AnomalyResult.Status.MISSING;
        r.outside = false;
        model.skip();
        scanCount = 0;
        index++;
        return r;
    }

    private double sigma(final int phase, final double expected, final double unit) {
        if (binomial) {
            return BinomialSpread.sigma(expected, trials, dispersion);
        }
        if (poisson) {
            return Math.sqrt(dispersionAt(expectedCount(expected, unit)) * poissonVariance(expected, unit));
        }
        // on the log scale a sigma is already relative (0.1 is about ±10 %): the floor is minRelSigma itself, not times the
        // log of the level (audit: 0.1·log(1 + 1000) let a 1,000 EUR mean move ×2.5 for a day unseen, a 2 EUR one not)
        final double relative = log ? spec.minRelSigma() : spec.minRelSigma() * Math.abs(expected);
        return Math.max(Math.sqrt(variance[phase]), Math.max(spec.minSigma(), relative));
    }

    /**
     * Poisson spread: the Anscombe residual {@code 2·(√(y + 3/8) − √(m + 3/8)) / √dispersion} with m
     * the expected count; for Poisson counts it has variance ≈ 1 at any m and its tails are far
     * closer to normal than those of log(1 + y) at small counts (0 orders where 3 are expected is
     * a 5% event, not a 3-sigma one).
     */
    private double anscombeScore(final double y, final double expectedLog, final double unit) {
        final double m = Math.max(0.0, StrictMath.expm1(expectedLog) / unit);
        return 2.0 * (Math.sqrt(Math.max(0.0, y) + 0.375) - Math.sqrt(m + 0.375)) / Math.sqrt(dispersionAt(Math.max(m, spec.poissonFloor())));
    }

    private void anscombeBand(final AnomalyResult r, final double expectedLog, final double unit) {
        final double root = Math.sqrt(Math.max(0.0, StrictMath.expm1(expectedLog) / unit) + 0.375);
        final double half = spec.k() * Math.sqrt(dispersionAt(expectedCount(expectedLog, unit))) / 2.0;
        final double low = root - half;
        r.low = low <= 0.0 ? 0.0 : Math.max(0.0, low * low - 0.375) * unit;
        r.high = ((root + half) * (root + half) - 0.375) * unit;
    }

    /**
     * Variance of log(1 + Y), Y = unit·C, C ~ Poisson(m), m = max(expected count, poissonFloor):
     * unit²·m / (1 + unit·m)² (delta method; unit 1 for counts).
     */
    private double poissonVariance(final double expectedLog, final double unit) {
        final double m = Math.max(StrictMath.expm1(expectedLog) / unit, spec.poissonFloor());
        final double big = unit * m;
        return unit * big / ((1.0 + big) * (1.0 + big));
    }

    /**
     * The unit of the Poisson model: 1 for counts; for the compound spread (sums of a few large
     * amounts: y = unit·C, C ~ Poisson) the sums' learned variance-to-mean ratio, about the
     * typical large amount: (y − m)²/max(y, m) is the amount itself in an interval with one
     * amount where little was expected, and var/m in a busy interval; at least 1.
     */
    private double unit() {
        return compound ? Math.max(1.0, typicalAmount) : 1.0;
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
        r.trigger = AnomalyResult.Trigger.NONE;
        r.scanIntervals = 0;
        r.scanObserved = Double.NaN;
        r.scanExpected = Double.NaN;
        r.scanLow = Double.NaN;
        r.scanHigh = Double.NaN;
        r.scanScore = Double.NaN;
        r.cusum = Double.NaN;
        r.cusumLimit = Double.NaN;
        return r;
    }

    private void decide(final AnomalyResult r) {
        if (neutral) {
            neutral = false;
            neutrals++;
            r.status = AnomalyResult.Status.CONTINUING;
        } else if (r.outside) {
            quiet = 0;
            neutrals = 0;
            if (inAnomaly) {
                r.status = AnomalyResult.Status.CONTINUING;
            } else {
                inAnomaly = true;
                anomalyStart = index;
                held = 0;
                drop = (r.trigger == AnomalyResult.Trigger.CUSUM ? r.cusum : r.alertScore()) < 0;
                cusumUp = 0.0;
                cusumDown = 0.0;
                scanCount = 0;
                r.status = AnomalyResult.Status.STARTED;
                r.alert = true;
            }
        } else if (inAnomaly) {
            if (++quiet >= spec.quietIntervals()) {
                inAnomaly = false;
                quiet = 0;
                neutrals = 0;
                drop = false;
                held = 0;
                scanCount = 0; // the scan starts afresh after the anomaly, as it does at its start
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

    /** The Holt-Winters model of a detector with {@code forecast: holt-winters}. */
    public HoltWinters model() {
        if (model instanceof HoltWinters hw) {
            return hw;
        }
        throw new IllegalStateException("this detector forecasts with " + (model instanceof BlendForecast ? "blend" : "seasonal-mean") + ", not Holt-Winters: use forecast()");
    }

    /** The forecast model, any kind: {@link HoltWinters}, {@link SeasonalMean} or {@link BlendForecast}. */
    SeasonalForecast forecaster() {
        return model;
    }

    /** The forecast for the next interval on the model scale (log(1 + y) or linear), either kind. */
    public double forecast() {
        return model.forecast();
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
        drop = false;
        held = 0;
        neutrals = 0;
        cusumUp = 0.0;
        cusumDown = 0.0;
        excess = 0.0;
        squares = 0.0;
        dispersionErrors = 0;
        Arrays.fill(scanObserved, 0.0);
        Arrays.fill(scanExpected, 0.0);
        scanCount = 0;
        scanNext = 0;
        typicalAmount = 0.0;
        unitErrors = 0;
        dispersion = 1.0;
    }

    /**
     * An upper bound of the bytes {@link #writeState} writes: the forecast model, the spread per
     * phase, the fixed fields and the scan.
     */
    long stateBytesBound() {
        return 200 + model.stateBytesBound() + 8L * variance.length + 16L * scanObserved.length;
    }

    /** Writes the detector's learned state bit-exactly (snapshots; the spec is configuration). */
    public void writeState(final StateWriter w) {
        model.write(w);
        w.putInt(variance.length);
        for (final double v : variance) {
            w.putDouble(v);
        }
        w.putLong(index).putBoolean(inAnomaly).putInt(quiet).putLong(anomalyStart).putBoolean(drop).putInt(held).putInt(neutrals)
            .putDouble(cusumUp).putDouble(cusumDown)
            .putDouble(excess).putDouble(squares).putLong(dispersionErrors);
        w.putDouble(typicalAmount).putLong(unitErrors).putDouble(dispersion);
        w.putInt(scanObserved.length).putInt(scanCount).putInt(scanNext);
        for (int i = 0; i < scanObserved.length; i++) {
            w.putDouble(scanObserved[i]).putDouble(scanExpected[i]);
        }
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
        drop = r.getBoolean();
        held = r.getInt("held intervals", 0, spec.holdIntervals());
        neutrals = r.getInt("neutral intervals", 0, model.seasonLength()); // neutral only within a season of the start
        cusumUp = r.getDouble();
        cusumDown = r.getDouble();
        excess = r.getDouble();
        squares = r.getDouble();
        dispersionErrors = r.getLong();
        typicalAmount = r.getDouble();
        unitErrors = r.getLong();
        dispersion = r.getDouble();
        final int scan = r.getInt();
        if (scan != scanObserved.length) {
            throw new SnapshotFormatException("a scan of " + scan + " intervals in the snapshot, " + scanObserved.length + " configured");
        }
        scanCount = r.getInt("scan count", 0, scan);
        scanNext = r.getInt("scan position", 0, scan - 1);
        for (int i = 0; i < scan; i++) {
            scanObserved[i] = r.getDouble();
            scanExpected[i] = r.getDouble();
        }
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
        h = mix(h, drop ? 1 : 0);
        h = mix(h, held);
        h = mix(h, neutrals);
        h = mix(h, Double.doubleToRawLongBits(cusumUp));
        h = mix(h, Double.doubleToRawLongBits(cusumDown));
        h = mix(h, Double.doubleToRawLongBits(excess));
        h = mix(h, Double.doubleToRawLongBits(squares));
        h = mix(h, dispersionErrors);
        h = mix(h, Double.doubleToRawLongBits(typicalAmount));
        h = mix(h, unitErrors);
        h = mix(h, Double.doubleToRawLongBits(dispersion));
        h = mix(h, scanCount);
        h = mix(h, scanNext);
        for (int i = 0; i < scanObserved.length; i++) {
            h = mix(h, Double.doubleToRawLongBits(scanObserved[i]));
            h = mix(h, Double.doubleToRawLongBits(scanExpected[i]));
        }
        return h;
    }

    /** Folds {@code v} into {@code h} (murmur3 finaliser). */
    static long mix(final long h0, final long v) {
        return io.ringfence.engine.model.Mix64.combine(h0, v);
    }
}
