package io.ringfence.engine.window;

/**
 * The result of a {@link SlidingWindow#query}: aggregates of one key over the panes of one
 * sliding window. Reusable and allocation-free: create one per caller at setup and pass it to
 * every query. Empty aggregates (count 0) report 0 everywhere.
 */
public final class WindowView {
    /** Distinct sketches a view holds unless told otherwise. */
    public static final int DEFAULT_MAX_DISTINCT = 8;

    long start;
    long end;
    boolean complete;
    /** The window holds state for the key queried ({@link #held()}). */
    boolean held;
    long count;
    final NumericStats amount = new NumericStats();
    final NumericStats qty = new NumericStats();
    final DistinctSketch[] distinct;
    int distinctUsed;

    public WindowView() {
        this(DEFAULT_MAX_DISTINCT);
    }

    /** @param maxDistinct most distinct metrics of any sliding window this view is used with */
    public WindowView(final int maxDistinct) {
        distinct = new DistinctSketch[maxDistinct];
        final RegisterPool registers = new RegisterPool();
        for (int i = 0; i < maxDistinct; i++) {
            distinct[i] = new DistinctSketch(registers);
        }
    }

    void reset(final long start, final long end, final int distinctUsed) {
        this.start = start;
        this.end = end;
        this.distinctUsed = distinctUsed;
        complete = true;
        held = false;
        count = 0;
        amount.reset();
        qty.reset();
        for (int i = 0; i < distinctUsed; i++) {
            distinct[i].reset();
        }
    }

    void merge(final PaneState s) {
        count += s.count;
        amount.merge(s.amount);
        qty.merge(s.qty);
        for (int i = 0; i < distinctUsed; i++) {
            distinct[i].merge(s.distinct[i]);
        }
    }

    /** First microsecond covered (inclusive, pane aligned). */
    public long start() {
        return start;
    }

    /** End of the covered range (exclusive, pane aligned). */
    public long end() {
        return end;
    }

    /** False when part of the range had already been released (asOf too far behind the watermark). */
    public boolean complete() {
        return complete;
    }

    /**
     * Whether the window holds state for the key queried: false for no key, and for a key it refused at
     * {@code maxKeys} (its contributions counted as dropped), whose view is empty though events came.
     */
    public boolean held() {
        return held;
    }

    /** Contributions (events, or item lines for sku/category keys). */
    public long count() {
        return count;
    }

    /** Sum of amount, minor units. */
    public long sum() {
        return amount.sum();
    }

    public long min() {
        return amount.min();
    }

    public long max() {
        return amount.max();
    }

    /** Mean amount, minor units, sum/count rounded half-even. */
    public long mean() {
        return amount.meanRounded();
    }

    /** Population standard deviation of amount, minor units. */
    public double stddev() {
        return amount.stddev();
    }

    /** Item quantities: sum, min, max, mean, stddev. */
    public NumericStats qty() {
        return qty;
    }

    /** Amounts as a {@link NumericStats}. */
    public NumericStats amount() {
        return amount;
    }

    /**
     * Distinct count of the i-th distinct metric of the window (see
     * {@link SlidingWindow#distinctIndex(String)}): exact up to 32 values, else a HyperLogLog
     * estimate with 3.25% standard error.
     */
    public long distinct(final int i) {
        if (i < 0 || i >= distinctUsed) {
            throw new IndexOutOfBoundsException("distinct metric " + i + " of " + distinctUsed);
        }
        return distinct[i].count();
    }
}
