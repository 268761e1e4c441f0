package io.ringfence.engine.window;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

/**
 * Count, exact sum/min/max, and mean/M2 (Welford) of one numeric field, mergeable (Chan et al.)
 * so sliding windows can combine panes. Mutable, reused.
 *
 * <p>Sums saturate at the long range instead of wrapping (events carry at most 10^15 minor units,
 * so it takes over 9,000 of the largest in one window to get there). Floating point
 * is only used for the standard deviation; in Java 17 all double arithmetic is strict IEEE 754,
 * so the same additions in the same order give the same bits on every JVM.
 */
public final class NumericStats {
    long n;
    long sum;
    long min;
    long max;
    double mean;
    double m2;

    void reset() {
        n = 0;
        sum = 0;
        min = 0;
        max = 0;
        mean = 0;
        m2 = 0;
    }

    void add(final long x) {
        if (n == 0) {
            min = x;
            max = x;
        } else {
            if (x < min) {
                min = x;
            }
            if (x > max) {
                max = x;
            }
        }
        n++;
        sum = saturatedAdd(sum, x);
        final double d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
    }

    void merge(final NumericStats o) {
        if (o.n == 0) {
            return;
        }
        if (n == 0) {
            n = o.n;
            sum = o.sum;
            min = o.min;
            max = o.max;
            mean = o.mean;
            m2 = o.m2;
            return;
        }
        final long total = n + o.n;
        final double delta = o.mean - mean;
        mean += delta * o.n / total;
        m2 += o.m2 + delta * delta * ((double) n * o.n / total);
        n = total;
        sum = saturatedAdd(sum, o.sum);
        if (o.min < min) {
            min = o.min;
        }
        if (o.max > max) {
            max = o.max;
        }
    }

    static long saturatedAdd(final long a, final long b) {
        final long r = a + b;
        // overflow only when both operands have the sign the result lacks
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /** {@code a × b}, or the long limit of its sign when that overflows (a line's qty × unit price). */
    static long saturatedMultiply(final long a, final long b) {
        final long r = a * b;
        return Math.multiplyHigh(a, b) == (r >> 63) ? r : ((a ^ b) < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }

    /** Number of values. */
    public long n() {
        return n;
    }

    /** Exact sum (0 when empty). */
    public long sum() {
        return sum;
    }

    /** Smallest value (0 when empty). */
    public long min() {
        return min;
    }

    /** Largest value (0 when empty). */
    public long max() {
        return max;
    }

    /** {@code sum / n} rounded half-even in integer arithmetic (0 when empty). */
    public long meanRounded() {
        return n == 0 ? 0 : divideHalfEven(sum, n);
    }

    /** {@code sum / n} as a double (0 when empty). */
    public double meanExact() {
        return n == 0 ? 0 : (double) sum / n;
    }

    /** Population standard deviation, sqrt(M2 / n) (0 when empty). */
    public double stddev() {
        return n == 0 ? 0 : Math.sqrt(Math.max(0, m2) / n);
    }

    long contentHash() {
        long h = Mix.combine(n, sum);
        h = Mix.combine(h, min);
        h = Mix.combine(h, max);
        h = Mix.combine(h, Double.doubleToLongBits(mean));
        return Mix.combine(h, Double.doubleToLongBits(m2));
    }

    /** {@code a / b} for {@code b > 0}, rounded to the nearest whole number, ties to even. */
    static long divideHalfEven(final long a, final long b) {
        long q = Math.floorDiv(a, b);
        final long r = a - q * b;
        final long twice = 2 * r;
        if (twice > b || (twice == b && (q & 1) != 0)) {
            q++;
        }
        return q;
    }

    /** Bytes {@link #write} writes. */
    static final int STATE_BYTES = 6 * 8;

    void write(final StateWriter w) {
        w.putLong(n).putLong(sum).putLong(min).putLong(max).putDouble(mean).putDouble(m2);
    }

    void read(final StateReader r) {
        n = r.getLong();
        sum = r.getLong();
        min = r.getLong();
        max = r.getLong();
        mean = r.getDouble();
        m2 = r.getDouble();
    }
}
