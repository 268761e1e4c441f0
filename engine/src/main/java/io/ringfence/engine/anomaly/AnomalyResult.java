package io.ringfence.engine.anomaly;

/**
 * What an {@link AnomalyDetector} says of one interval. One mutable instance per detector, refilled
 * (every field) by each call: copy what you need before the next observation.
 *
 * <p>It carries what the {@code AnomalyAlert} SBE message (id 26) needs besides the series identity
 * (window, metric, key) which the caller holds: {@link #intervalTime()} for {@code eventTime},
 * {@link #observed()}, {@link #expected()}, {@link #score()}, and the band for {@code text}
 * ({@link #appendText(StringBuilder)}).
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

    Status status = Status.WARMING_UP;
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

    /** Index of the interval where the anomaly in progress (or just ended) started; −1 if none. */
    public long anomalyStart() {
        return anomalyStart;
    }

    /**
     * Appends a short human text for the alert's {@code text} field, e.g.
     * {@code "started: observed 2.0 below band [7.1, 15.3], expected 11.2, score -4.6 sigma"}.
     * Appends without creating strings beyond the builder's own growth.
     */
    public StringBuilder appendText(final StringBuilder out) {
        out.append(status == Status.ENDED ? "ended" : status == Status.STARTED ? "started" : status.name().toLowerCase())
            .append(": observed ");
        tenths(out, observed).append(observed < low ? " below" : observed > high ? " above" : " inside").append(" band [");
        tenths(out, low).append(", ");
        tenths(out, high).append("], expected ");
        tenths(out, expected).append(", score ");
        tenths(out, score).append(" sigma");
        return out;
    }

    /**
     * Appends {@code v} rounded half-up to one decimal ({@code Math.rint(v * 10) / 10} as a double
     * prints it) with integer arithmetic: {@code StringBuilder.append(double)} may allocate.
     */
    static StringBuilder tenths(final StringBuilder out, final double v) {
        final double t = Math.rint(v * 10.0);
        if (!(Math.abs(t) < 1e17)) {
            return out.append(t / 10.0); // NaN, infinities, astronomic values: rare, allocation allowed
        }
        long n = (long) t;
        if (n < 0) {
            out.append('-');
            n = -n;
        }
        return out.append(n / 10).append('.').append((char) ('0' + n % 10));
    }

    @Override
    public String toString() {
        return "#" + index + " " + appendText(new StringBuilder());
    }
}
