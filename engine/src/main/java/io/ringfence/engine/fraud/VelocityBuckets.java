package io.ringfence.engine.fraud;

import java.util.Arrays;

/**
 * Bucketed sliding-window counters of one entity table (see {@link Horizon} for the layout): per
 * key and bucket the bucket number, orders, order amount and, when the entity receives payments,
 * payment attempts and failed attempts. Struct of arrays indexed by {@code slot * Horizon.TOTAL +
 * bucket}, grown with the table, so reads and updates allocate nothing.
 *
 * <p>An update whose bucket position holds a newer bucket (the event is older than the whole
 * horizon relative to the key's newest event) is not counted in that horizon: no later query of
 * that horizon could include it anyway.
 */
final class VelocityBuckets {
    private static final int EMPTY = Integer.MIN_VALUE;

    private final boolean withPayments;
    private int[] bucket = new int[0];
    private int[] orders = new int[0];
    private long[] amount = new long[0];
    private int[] attempts = new int[0];
    private int[] failed = new int[0];

    VelocityBuckets(final boolean withPayments) {
        this.withPayments = withPayments;
    }

    void grow(final int capacity) {
        final int n = capacity * Horizon.TOTAL;
        final int old = bucket.length;
        bucket = Arrays.copyOf(bucket, n);
        Arrays.fill(bucket, old, n, EMPTY);
        orders = Arrays.copyOf(orders, n);
        amount = Arrays.copyOf(amount, n);
        if (withPayments) {
            attempts = Arrays.copyOf(attempts, n);
            failed = Arrays.copyOf(failed, n);
        }
    }

    void clear(final int slot) {
        final int from = slot * Horizon.TOTAL;
        final int to = from + Horizon.TOTAL;
        Arrays.fill(bucket, from, to, EMPTY);
        Arrays.fill(orders, from, to, 0);
        Arrays.fill(amount, from, to, 0L);
        if (withPayments) {
            Arrays.fill(attempts, from, to, 0);
            Arrays.fill(failed, from, to, 0);
        }
    }

    /** Writes order count and amount per horizon at {@code v[first + 2h]}, {@code v[first + 2h + 1]}. */
    void queryOrders(final int slot, final long t, final double[] v, final int first) {
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int cur = Horizon.bucket(h, t);
            final int lo = cur - Horizon.BUCKETS[h];
            final int from = slot * Horizon.TOTAL + Horizon.BASE[h];
            final int to = from + Horizon.BUCKETS[h];
            long count = 0;
            long sum = 0;
            for (int k = from; k < to; k++) {
                final int b = bucket[k];
                if (b > lo && b <= cur) {
                    count += orders[k];
                    sum += amount[k];
                }
            }
            v[first + 2 * h] = count;
            v[first + 2 * h + 1] = sum;
        }
    }

    /** Writes attempts and failed attempts per horizon at {@code v[first + 2h]}, {@code v[first + 2h + 1]}. */
    void queryPayments(final int slot, final long t, final double[] v, final int first) {
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int cur = Horizon.bucket(h, t);
            final int lo = cur - Horizon.BUCKETS[h];
            final int from = slot * Horizon.TOTAL + Horizon.BASE[h];
            final int to = from + Horizon.BUCKETS[h];
            long all = 0;
            long bad = 0;
            for (int k = from; k < to; k++) {
                final int b = bucket[k];
                if (b > lo && b <= cur) {
                    all += attempts[k];
                    bad += failed[k];
                }
            }
            v[first + 2 * h] = all;
            v[first + 2 * h + 1] = bad;
        }
    }

    void addOrder(final int slot, final long t, final long orderAmount) {
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int k = position(slot, h, t);
            if (k >= 0) {
                orders[k]++;
                amount[k] += orderAmount;
            }
        }
    }

    void addPayment(final int slot, final long t, final boolean isFailed) {
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int k = position(slot, h, t);
            if (k >= 0) {
                attempts[k]++;
                if (isFailed) {
                    failed[k]++;
                }
            }
        }
    }

    /** The array index of t's bucket in horizon h, made current (reset if it held an older bucket); -1 if it holds a newer one. */
    private int position(final int slot, final int h, final long t) {
        final int cur = Horizon.bucket(h, t);
        final int k = slot * Horizon.TOTAL + Horizon.BASE[h] + Math.floorMod(cur, Horizon.BUCKETS[h]);
        final int b = bucket[k];
        if (b == cur) {
            return k;
        }
        if (b > cur) {
            return -1;
        }
        bucket[k] = cur;
        orders[k] = 0;
        amount[k] = 0;
        if (withPayments) {
            attempts[k] = 0;
            failed[k] = 0;
        }
        return k;
    }

    /** Folds a key's buckets into a running hash (replay checks). */
    long hash(final int slot, long h) {
        final int from = slot * Horizon.TOTAL;
        for (int k = from; k < from + Horizon.TOTAL; k++) {
            h = h * 31 + bucket[k];
            h = h * 31 + orders[k];
            h = h * 31 + amount[k];
            if (withPayments) {
                h = h * 31 + attempts[k];
                h = h * 31 + failed[k];
            }
        }
        return h;
    }
}
