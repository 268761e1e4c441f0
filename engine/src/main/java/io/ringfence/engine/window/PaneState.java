package io.ringfence.engine.window;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

/**
 * Aggregates of one key (one (key, currency) in money windows) in one pane: a tumbling window,
 * or one step of a sliding window. Pooled and reused; fixed size for a given window definition.
 *
 * <p>Linked into two intrusive lists: the pane's keys in first-event order (emission order),
 * and the key's live panes, newest first.
 */
final class PaneState {
    long paneStart;
    KeyEntry entry;
    PaneState nextInPane;
    PaneState newerInKey;
    PaneState olderInKey;
    PaneState nextFree;

    long count;
    final NumericStats amount = new NumericStats();
    final NumericStats qty = new NumericStats();
    final DistinctSketch[] distinct;
    final TopKSketch[] topk;
    /** {@code count(subset)} counters in the window's configuration order; empty without subset metrics. */
    final long[] subsets;

    PaneState(final int distinctCount, final int[] topkSizes, final int[] topkCounters, final int subsetCount,
              final RegisterPool registers) {
        subsets = new long[subsetCount];
        distinct = new DistinctSketch[distinctCount];
        for (int i = 0; i < distinctCount; i++) {
            distinct[i] = new DistinctSketch(registers);
        }
        topk = new TopKSketch[topkSizes.length];
        for (int i = 0; i < topkSizes.length; i++) {
            topk[i] = new TopKSketch(topkSizes[i], topkCounters[i]);
        }
    }

    void reset(final long paneStart, final KeyEntry entry) {
        this.paneStart = paneStart;
        this.entry = entry;
        nextInPane = null;
        newerInKey = null;
        olderInKey = null;
        nextFree = null;
        count = 0;
        java.util.Arrays.fill(subsets, 0L);
        amount.reset();
        qty.reset();
        for (final DistinctSketch d : distinct) {
            d.reset();
        }
        for (final TopKSketch t : topk) {
            t.reset();
        }
    }

    /** The pane is gone: distinct sketches give their registers back before the state is pooled. */
    void release() {
        for (final DistinctSketch d : distinct) {
            d.reset();
        }
    }

    long contentHash() {
        long h = Mix.combine(entry.keyHash, paneStart);
        h = Mix.combine(h, count);
        h = Mix.combine(h, amount.contentHash());
        h = Mix.combine(h, qty.contentHash());
        for (final DistinctSketch d : distinct) {
            h = Mix.combine(h, d.contentHash());
        }
        for (final TopKSketch t : topk) {
            h = Mix.combine(h, t.contentHash());
        }
        for (final long v : subsets) { // none in windows without subset counts: their hash is unchanged
            h = Mix.combine(h, v);
        }
        return h;
    }

    /** The aggregates (not the links: the window re-links states as it reads them). */
    void write(final StateWriter w) {
        w.putLong(count);
        amount.write(w);
        qty.write(w);
        for (final DistinctSketch d : distinct) {
            d.write(w);
        }
        for (final TopKSketch t : topk) {
            t.write(w);
        }
        for (final long v : subsets) {
            w.putLong(v);
        }
    }

    void read(final StateReader r) {
        count = r.getLong();
        amount.read(r);
        qty.read(r);
        for (final DistinctSketch d : distinct) {
            d.read(r);
        }
        for (final TopKSketch t : topk) {
            t.read(r);
        }
        for (int i = 0; i < subsets.length; i++) {
            subsets[i] = r.getLong();
        }
    }
}
