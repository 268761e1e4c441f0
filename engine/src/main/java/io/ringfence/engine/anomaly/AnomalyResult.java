package io.ringfence.engine.anomaly;

/**
 * What an {@link AnomalyDetector} says of one interval. One mutable instance per detector, refilled
 * (every field) by each call: copy what you need before the next observation.
 *
 * <p>It carries what the {@code AnomalyAlert} SBE message (id 26) needs besides the series identity
 * (window, metric, key) which the caller holds: {@link #intervalTime()} for {@code eventTime},
 * {@link #alertObserved()}, {@link #alertExpected()}, {@link #alertScore()} (the numbers of the test
 * that fired, see {@link Trigger}), and the {@code text} ({@link #appendText(StringBuilder)}).
 */
public final class AnomalyResult {
    /** Where the series stands after this interval. */
    public enum Status {
        /** Not enough history yet: no alert can be raised. */
        WARMING_UP,
        /** No anomaly in progress (this interval is inside the band). */
        NORMAL,
        /** This interval left the band and no anomaly was in progress: the alert. */
        STARTED,
        /** An anomaly is in progress (this interval may be inside or outside the band): no new alert. */
        CONTINUING,
        /** The anomaly in progress ended: {@code quietIntervals} intervals in a row inside the band. */
        ENDED,
        /** A gap: nothing was observed, nothing learned, nothing decided. */
        MISSING,
        /** A closed date of the shop's calendar: nothing learned, nothing decided. */
        CLOSED
    }

    /** Which test started the anomaly of a {@link Status#STARTED} interval (the first that holds, in this order). */
    public enum Trigger {
        /** Not a start: nothing fired here (or an anomaly in progress, ended, warming up, a gap). */
        NONE,
        /** The interval alone is outside its band: {@code |score| > k}. */
        INTERVAL,
        /**
         * The sum of the last {@link AnomalyResult#scanIntervals()} intervals (1 .. scanIntervals) is outside: for
         * counts and sums its observed and expected sum, its band and score are in {@code scan*}; for
         * the phase and binomial spreads only its score (the sum of the n scores ÷ √n).
         */
        SCAN,
        /** A CUSUM of the scores passed {@code cusumLimit}: {@link AnomalyResult#cusum()}, signed (negative: a drop). */
        CUSUM
    }

    Status status = Status.WARMING_UP;
    Trigger trigger = Trigger.NONE;
    int scanIntervals;
    double scanObserved = Double.NaN;
    double scanExpected = Double.NaN;
    double scanLow = Double.NaN;
    double scanHigh = Double.NaN;
    double scanScore = Double.NaN;
    double cusum = Double.NaN;
    double cusumLimit = Double.NaN;
    boolean outside;
    boolean alert;
    long index;
    long intervalTime;
    double observed;
    double expected;
    double sigma;
    double low;
    double high;
    double score;
    long anomalyStart = -1;

    /** The interval's place in the series, 0 for the first observation or gap. */
    public long index() {
        return index;
    }

    /** The time the caller gave for the interval (e.g. the window start, event-time micros). */
    public long intervalTime() {
        return intervalTime;
    }

    public Status status() {
        return status;
    }

    /** True when this interval should be pushed: an anomaly started, or ended and ends are reported. */
    public boolean isAlert() {
        return alert;
    }

    /** True when this observation is outside the band (after warm-up). */
    public boolean isOutside() {
        return outside;
    }

    public double observed() {
        return observed;
    }

    /** The one-step forecast made before seeing the observation. */
    public double expected() {
        return expected;
    }

    /** The spread used for the band (after the floors). */
    public double sigma() {
        return sigma;
    }

    /** {@code expected − k·sigma}. */
    public double low() {
        return low;
    }

    /** {@code expected + k·sigma}. */
    public double high() {
        return high;
    }

    /** {@code (observed − expected) / sigma}: signed deviation in sigmas (negative: a drop). */
    public double score() {
        return score;
    }

    /** Which test started the anomaly (a {@link Status#STARTED} interval); {@link Trigger#NONE} otherwise. */
    public Trigger trigger() {
        return trigger;
    }

    /** {@link Trigger#SCAN}: how many of the last intervals were summed (the sum farthest outside); 0 otherwise. */
    public int scanIntervals() {
        return scanIntervals;
    }

    /**
     * {@link Trigger#SCAN} of a count or sum series (Poisson and compound spreads): the observed sum
     * of the last {@link #scanIntervals()} intervals in the metric's units; NaN otherwise. A compound
     * series' intervals are tested in units of its learned typical amount: the sum is their units times
     * the amount learned now (each interval was divided by the amount of its time, an average that
     * gives a new interval 1 % of the weight once learned), so it can differ a little from the plain
     * sum of the intervals' values.
     */
    public double scanObserved() {
        return scanObserved;
    }

    /** {@link Trigger#SCAN} of a count or sum series: the expected sum (the intervals' expected counts, each at least poissonFloor); NaN otherwise. */
    public double scanExpected() {
        return scanExpected;
    }

    /** {@link Trigger#SCAN} of a count or sum series: the sum that scores −k (0 if even 0 does not); NaN otherwise. */
    public double scanLow() {
        return scanLow;
    }

    /** {@link Trigger#SCAN} of a count or sum series: the sum that scores +k; NaN otherwise. */
    public double scanHigh() {
        return scanHigh;
    }

    /**
     * {@link Trigger#SCAN}: the sum's score in sigmas (counts and sums: the signed root of the
     * negative binomial deviance; phase and binomial spreads: the sum of the scores ÷ √n); NaN otherwise.
     */
    public double scanScore() {
        return scanScore;
    }

    /** {@link Trigger#CUSUM}: the CUSUM that passed its limit, negative for a drop; NaN otherwise. */
    public double cusum() {
        return cusum;
    }

    /** The alert's {@code observed}: the scanned sum for a scan of counts or sums, else {@link #observed()}. */
    public double alertObserved() {
        return trigger == Trigger.SCAN && !Double.isNaN(scanObserved) ? scanObserved : observed;
    }

    /** The alert's {@code expected}: the expected sum for a scan of counts or sums, else {@link #expected()}. */
    public double alertExpected() {
        return trigger == Trigger.SCAN && !Double.isNaN(scanExpected) ? scanExpected : expected;
    }

    /** The alert's {@code score}: the scanned sum's score for a scan, else {@link #score()} (also for a CUSUM start: see {@link #cusum()}). */
    public double alertScore() {
        return trigger == Trigger.SCAN ? scanScore : score;
    }

    /**
     * Index of the interval where the anomaly in progress (or just ended) started, moved on by the closed intervals since
     * (they are no part of its season); −1 if none.
     */
    public long anomalyStart() {
        return anomalyStart;
    }

    /**
     * Appends a short human text for the alert's {@code text} field: the status, what fired, and the
     * interval, e.g. {@code "started: observed 2.0 below band [7.1, 15.3], expected 11.2, score -4.6 sigma"}
     * (the interval alone); {@code "started (scan of the last 3 intervals): sum 13.5 below band
     * [13.6, 45.2], expected 27.9, score -3.0 sigma; last interval observed 4.5 inside band [1.4, 18.5],
     * expected 7.7, score -1.3 sigma"}; {@code "started (scan of the last 3 intervals): score -3.2 sigma
     * (the sum of the 3 scores / sqrt(3)); last interval observed ..."} (phase and binomial spreads);
     * {@code "started (CUSUM of scores: a sustained drop, 5.7 over limit 5.0): observed ..."}.
     * Appends without creating strings beyond the builder's own growth.
     */
    public StringBuilder appendText(final StringBuilder out) {
        return appendText(out, false, 0, 0);
    }

    /**
     * {@link #appendText(StringBuilder)}, for a rate ({@code rate}) in percent with the interval's
     * {@code hits} of {@code trials}: {@code "observed 30.0% (15 of 50) above band [0.0%, 8.9%], ..."}.
     */
    StringBuilder appendText(final StringBuilder out, final boolean rate, final long hits, final long trials) {
        out.append(status == Status.ENDED ? "ended" : status == Status.STARTED ? "started" : status.name().toLowerCase(java.util.Locale.ROOT));
        if (trigger == Trigger.SCAN) {
            out.append(" (scan of the last ").append(scanIntervals).append(scanIntervals == 1 ? " interval)" : " intervals)");
            if (!Double.isNaN(scanObserved)) {
                final int d = decimals(scanObserved, scanLow, scanHigh, 1.0);
                out.append(": sum ");
                fixed(out, scanObserved, d).append(position(scanObserved, scanLow, scanHigh)).append(" band [");
                fixed(out, scanLow, d).append(", ");
                fixed(out, scanHigh, d).append("], expected ");
                fixed(out, scanExpected, d).append(", score ");
                tenths(out, scanScore).append(" sigma");
            } else {
                out.append(": score ");
                tenths(out, scanScore).append(" sigma (the sum of the ").append(scanIntervals).append(" scores / sqrt(")
                    .append(scanIntervals).append("))");
            }
            out.append("; last interval observed ");
        } else if (trigger == Trigger.CUSUM) {
            out.append(" (CUSUM of scores: a sustained ").append(cusum < 0.0 ? "drop, " : "rise, ");
            tenths(out, Math.abs(cusum)).append(" over limit ");
            tenths(out, cusumLimit).append("): observed ");
        } else {
            out.append(": observed ");
        }
        final int d = decimals(observed, low, high, rate ? 100.0 : 1.0);
        value(out, observed, rate, d);
        if (rate) {
            out.append(" (").append(hits).append(" of ").append(trials).append(')');
        }
        out.append(position(observed, low, high)).append(" band [");
        value(out, low, rate, d).append(", ");
        value(out, high, rate, d).append("], expected ");
        value(out, expected, rate, d).append(", score ");
        tenths(out, score).append(" sigma");
        return out;
    }

    private static String position(final double v, final double low, final double high) {
        return v < low ? " below" : v > high ? " above" : " inside";
    }

    /** {@code v} to {@code d} decimals; a rate in percent. */
    private static StringBuilder value(final StringBuilder out, final double v, final boolean rate, final int d) {
        return rate ? fixed(out, v * 100.0, d).append('%') : fixed(out, v, d);
    }

    /** Most decimals a value of the text is given: beyond them, numbers that read alike are alike for any use. */
    static final int MAX_DECIMALS = 4;
    private static final double[] POWERS = {1.0, 10.0, 100.0, 1_000.0, 10_000.0};

    /**
     * The decimals (1 .. {@link #MAX_DECIMALS}) at which {@code v} reads apart from both band
     * edges (each times {@code scale}): a value just outside its band must not read as the edge it
     * crossed ("40.1 below band [40.1, ..." of a three-decimal currency's 40.094 and 40.142).
     */
    static int decimals(final double v, final double low, final double high, final double scale) {
        int d = 1;
        while (d < MAX_DECIMALS && (alike(v * scale, low * scale, d) || alike(v * scale, high * scale, d))) {
            d++;
        }
        return d;
    }

    private static boolean alike(final double a, final double b, final int d) {
        return a != b && Math.rint(a * POWERS[d]) == Math.rint(b * POWERS[d]);
    }

    /**
     * Appends {@code v} rounded half-up to one decimal ({@code Math.rint(v * 10) / 10} as a double
     * prints it) with integer arithmetic: {@code StringBuilder.append(double)} may allocate.
     */
    static StringBuilder tenths(final StringBuilder out, final double v) {
        return fixed(out, v, 1);
    }

    /** {@link #tenths} to {@code d} decimals, 1 .. {@link #MAX_DECIMALS}. */
    static StringBuilder fixed(final StringBuilder out, final double v, final int d) {
        final double t = Math.rint(v * POWERS[d]);
        if (!(Math.abs(t) < 1e17)) {
            return out.append(t / POWERS[d]); // NaN, infinities, astronomic values: rare, allocation allowed
        }
        long n = (long) t;
        if (n < 0) {
            out.append('-');
            n = -n;
        }
        final long unit = (long) POWERS[d];
        out.append(n / unit).append('.');
        for (long f = n % unit, div = unit / 10; div > 0; div /= 10) {
            out.append((char) ('0' + (f / div) % 10));
        }
        return out;
    }

    @Override
    public String toString() {
        return "#" + index + " " + appendText(new StringBuilder());
    }
}
