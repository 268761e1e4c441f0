package io.ringfence.tools.anomaly;

import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Injection;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Series;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

import java.util.Arrays;

/**
 * A strong, non-causal reference detector ("oracle-ish") that bounds what the engine's detector
 * can reach on a series at the same false-alarm budget: it is told things no online detector knows.
 *
 * <ul>
 *   <li>Expected value per hour = a trimmed mean (lowest and highest dropped) of the <em>clean</em>
 *       series at the same local hour of the week in the {@value #WEEKS} weeks before and after,
 *       the hour's own week excluded: it sees the future, and an injected anomaly never
 *       contaminates it.</li>
 *   <li>Model: counts negative binomial with variance {@code μ + μ²/r}, r fitted on the clean
 *       series' residuals (in-sample); revenue (sums of few large invoices: compound Poisson)
 *       quasi-Poisson, variance {@code κ·μ}, κ a robust fit on the same residuals.</li>
 *   <li>Test: exact two-sided NB (or Poisson) tail of the sum of the last 1, 2 and 3 open hours;
 *       statistic = −log10 of the smallest tail probability.</li>
 *   <li>Threshold calibrated on the clean series so that it raises at most {@link #FA_PER_WEEK}
 *       alarm per week after the warm-up (alarms de-duplicated as the engine does: one per run of
 *       outside hours, ended by {@link #QUIET} quiet hours).</li>
 *   <li>Closed hours (the harness's closures calendar) are neither alarmed nor used.</li>
 * </ul>
 *
 * Detection counts as the engine's: the injected hour or one of the two after it is outside.
 */
final class DetectabilityCeiling {
    static final int WEEKS = 4;
    static final int WINDOW = 3;
    static final int QUIET = 3;
    static final double FA_PER_WEEK = 1.0;
    /** The smallest expected value per hour (model units) assumed: a closed-at-night hour is not certain to stay at 0. */
    static final double FLOOR = 0.05;
    /** The median of a χ² variable with one degree of freedom. */
    static final double MEDIAN_CHI2_1 = 0.454936;

    private final double[] clean;
    private final boolean[] closed;
    private final double[] expected;
    private final int from;
    private final double weeks;
    private final double kappa;
    private final double inverseSize;
    private final double threshold;
    private final int alarms;

    /**
     * @param phases the hours' local hour-of-week (168-interval season)
     * @param closed hours the shop is known to be closed
     * @param from   the first hour false alarms count (the engine's warm-up)
     */
    DetectabilityCeiling(final Series s, final int[] phases, final boolean[] closed, final int from) {
        this.clean = s.values();
        this.closed = closed;
        this.from = from;
        this.weeks = (clean.length - from) / 168.0;
        this.expected = expected(clean, phases, closed);
        final double[] fit = fit(s.revenue());
        this.kappa = fit[0];
        this.inverseSize = fit[1];
        final double[] stat = new double[clean.length];
        for (int t = from; t < clean.length; t++) {
            stat[t] = statistic(clean, t);
        }
        double lo = 0.0;
        double hi = 400.0;
        for (int i = 0; i < 60; i++) {
            final double mid = (lo + hi) / 2;
            if (alarms(stat, mid) <= FA_PER_WEEK * weeks) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        this.threshold = hi;
        this.alarms = alarms(stat, hi);
    }

    /** Delay (0..2 hours) to the first outside hour from {@code pos} in the injected series, or −1. */
    int delay(final double[] work, final int pos) {
        for (int t = pos; t < Math.min(work.length, pos + 3); t++) {
            if (!closed[t] && statistic(work, t) > threshold) {
                return t - pos;
            }
        }
        return -1;
    }

    /** The clean expected value of an hour (series units), NaN where no neighbour week is open. */
    double expected(final int t) {
        return expected[t];
    }

    double falseAlarmsPerWeek() {
        return alarms / weeks;
    }

    double threshold() {
        return threshold;
    }

    double kappa() {
        return kappa;
    }

    double inverseSize() {
        return inverseSize;
    }

    /** −log10 of the smallest two-sided tail probability of the sums of the last 1..WINDOW open hours. */
    private double statistic(final double[] y, final int t) {
        double best = 0.0;
        double sum = 0.0;
        double mean = 0.0;
        double squares = 0.0;
        int used = 0;
        for (int u = t; u >= 0 && u > t - WINDOW; u--) {
            if (closed[u] || Double.isNaN(expected[u])) {
                continue;
            }
            final double m = Math.max(FLOOR, expected[u] / kappa);
            sum += y[u] / kappa;
            mean += m;
            squares += m * m;
            used++;
            best = Math.max(best, -Math.log10(Math.max(1e-300, tail(sum, mean, squares))));
        }
        return used == 0 ? 0.0 : best;
    }

    /** The smaller tail probability of x under NB(mean m, variance m + Σm_i²/r), Poisson when 1/r = 0. */
    private double tail(final double x, final double m, final double squares) {
        final double lower;
        final double upper;
        if (inverseSize <= 0.0) {
            lower = Gamma.regularizedGammaQ(x + 1.0, m);
            upper = x <= 0.0 ? 1.0 : Gamma.regularizedGammaP(x, m);
        } else {
            final double size = m * m / (squares * inverseSize);
            final double p = size / (size + m);
            lower = Beta.regularizedBeta(p, size, x + 1.0);
            upper = x <= 0.0 ? 1.0 : Beta.regularizedBeta(1.0 - p, x, size);
        }
        return Math.min(lower, upper);
    }

    private int alarms(final double[] stat, final double limit) {
        int starts = 0;
        boolean in = false;
        int quiet = 0;
        for (int t = from; t < stat.length; t++) {
            if (closed[t]) {
                continue;
            }
            if (stat[t] > limit) {
                quiet = 0;
                if (!in) {
                    in = true;
                    starts++;
                }
            } else if (in && ++quiet >= QUIET) {
                in = false;
                quiet = 0;
            }
        }
        return starts;
    }

    /**
     * Counts: κ = 1 and 1/r by least squares of (y − μ)² − μ on μ² over open hours. Revenue: a
     * quasi-Poisson κ, robustly (a few invoices of tens of thousands of pounds would dominate any
     * moment estimate): median of (y − μ)²/μ over open hours divided by the median of χ²₁, and 1/r = 0.
     */
    private double[] fit(final boolean revenue) {
        double smq = 0;
        double sqq = 0;
        double sqr = 0;
        final double[] ratios = new double[clean.length];
        int n = 0;
        for (int t = from; t < clean.length; t++) {
            final double m = expected[t];
            if (closed[t] || Double.isNaN(m) || m <= 0) {
                continue;
            }
            final double r2 = (clean[t] - m) * (clean[t] - m);
            final double q = m * m;
            smq += m * q;
            sqq += q * q;
            sqr += q * r2;
            ratios[n++] = r2 / m;
        }
        if (!revenue) {
            return new double[] {1.0, Math.max(0.0, (sqr - smq) / sqq)};
        }
        Arrays.sort(ratios, 0, n);
        return new double[] {Math.max(1.0, ratios[n / 2] / MEDIAN_CHI2_1), 0.0};
    }

    private static double[] expected(final double[] clean, final int[] phases, final boolean[] closed) {
        final double[] out = new double[clean.length];
        final double[] near = new double[2 * WEEKS];
        for (int t = 0; t < clean.length; t++) {
            int n = 0;
            for (int k = -WEEKS; k <= WEEKS; k++) {
                if (k == 0) {
                    continue;
                }
                final int u = sameHour(phases, t, t + 168 * k);
                if (u >= 0 && !closed[u]) {
                    near[n++] = clean[u];
                }
            }
            if (n == 0) {
                out[t] = Double.NaN;
                continue;
            }
            Arrays.sort(near, 0, n);
            final int cut = n >= 4 ? 1 : 0;
            double sum = 0;
            for (int i = cut; i < n - cut; i++) {
                sum += near[i];
            }
            out[t] = sum / (n - 2 * cut);
        }
        return out;
    }

    /** The hour at or next to {@code u} with the local hour-of-week of {@code t} (clock changes move it by one), or −1. */
    private static int sameHour(final int[] phases, final int t, final int u) {
        for (final int v : new int[] {u, u - 1, u + 1}) {
            if (v >= 0 && v < phases.length && phases[v] == phases[t]) {
                return v;
            }
        }
        return -1;
    }

    /** Hours per injection kind and position, as the harness draws them; −1 where missed. */
    static int[][] delays(final DetectabilityCeiling c, final double[] clean, final int[][] positions) {
        final double[] work = new double[clean.length];
        final int[][] out = new int[positions.length][];
        for (final Injection inj : Injection.values()) {
            out[inj.ordinal()] = new int[positions[inj.ordinal()].length];
            for (int n = 0; n < positions[inj.ordinal()].length; n++) {
                final int pos = positions[inj.ordinal()][n];
                OnlineRetailAnomalyDetectionTest.inject(clean, work, inj, pos);
                out[inj.ordinal()][n] = c.delay(work, pos);
            }
        }
        return out;
    }
}
