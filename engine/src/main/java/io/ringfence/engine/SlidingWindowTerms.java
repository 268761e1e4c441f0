package io.ringfence.engine;

import io.ringfence.engine.fraud.WindowTerm;
import io.ringfence.engine.fraud.WindowTermSource;
import io.ringfence.engine.window.SlidingWindow;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.engine.window.WindowView;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * The rules' window terms ({@code user_velocity_1h.count >= 10}) read from the engine's sliding
 * windows (DESIGN §5: "sliding windows are queryable by the scoring stage at any event"): for the
 * scored event's own key in the window (with its currency in a window of money metrics), over the
 * panes covering the last {@code size} up to the event's pane, as the window stands when the
 * event is scored, so the event itself is counted (the windows take an event before scoring;
 * unlike the built-in features, which count earlier events only). Missing (NaN, so every
 * condition on it fails): an event the window does not take or that lacks a key part, a key the
 * window refused at {@code maxKeys} (review: it read as an empty window, 0, so {@code count < 1}
 * fired on every such order), an empty window's min, max or mean, and a late event whose panes
 * were already released. {@code distinct} is cut to the count where each contribution adds one
 * value, as in window results.
 * Allocation-free per event.
 */
public final class SlidingWindowTerms implements WindowTermSource {
    private static final int COUNT = 0;
    private static final int SUM = 1;
    private static final int MIN = 2;
    private static final int MAX = 3;
    private static final int MEAN = 4;
    private static final int DISTINCT = 5;

    /** The distinct windows the terms read, each queried once per event. */
    private final SlidingWindow[] windows;
    /** One view per distinct window, filled by its query. */
    private final WindowView[] views;
    /** Per distinct window: its view holds a value for this event (held, complete). */
    private final boolean[] readable;
    /** Per term: index into {@link #windows}. */
    private final int[] windowOf;
    private final int[] metrics;
    private final int[] distinctIndex;
    /** Per term: its distinct estimate is cut to the count ({@link SlidingWindow#distinctCappedAtCount}). */
    private final boolean[] distinctCapped;

    /**
     * @throws IllegalArgumentException when a term names no sliding window or a metric its window does not keep
     *                                  ({@link #problem}; a validated configuration has none)
     */
    SlidingWindowTerms(final List<WindowTerm> terms, final WindowAggregator aggregator) {
        final java.util.List<SlidingWindow> distinct = new java.util.ArrayList<>();
        windowOf = new int[terms.size()];
        metrics = new int[terms.size()];
        distinctIndex = new int[terms.size()];
        distinctCapped = new boolean[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
            final WindowTerm t = terms.get(i);
            final String problem = problem(t, aggregator.specs());
            if (problem != null) {
                throw new IllegalArgumentException("rule condition on " + t.text() + ": " + problem);
            }
            final SlidingWindow w = aggregator.sliding(t.window());
            if (!distinct.contains(w)) {
                distinct.add(w);
            }
            windowOf[i] = distinct.indexOf(w);
            metrics[i] = metric(t.metric());
            distinctIndex[i] = metrics[i] == DISTINCT ? w.distinctIndex(t.field()) : -1;
            distinctCapped[i] = metrics[i] == DISTINCT && w.distinctCappedAtCount(t.field());
        }
        windows = distinct.toArray(new SlidingWindow[0]);
        views = new WindowView[windows.length];
        readable = new boolean[windows.length];
        for (int k = 0; k < views.length; k++) {
            views[k] = new WindowView();
        }
    }

    /** Why {@code term} cannot be read from {@code windows}, or null when it can. */
    public static String problem(final WindowTerm term, final List<WindowSpec> windows) {
        WindowSpec spec = null;
        final StringBuilder sliding = new StringBuilder();
        for (final WindowSpec w : windows) {
            if (w.kind() == WindowSpec.Kind.SLIDING) {
                sliding.append(sliding.length() == 0 ? "" : ", ").append(w.name());
            }
            if (w.name().equals(term.window())) {
                spec = w;
            }
        }
        if (spec == null || spec.kind() != WindowSpec.Kind.SLIDING) {
            return (spec == null ? "names no window '" : "names '") + term.window() + (spec == null ? "'" : "', a tumbling window")
                + "; rules read sliding windows (configured: " + (sliding.length() == 0 ? "none" : sliding) + ")";
        }
        if (spec.itemLevelKey()) {
            return "window '" + term.window() + "' is keyed by sku or category, which an order has one of per item line:"
                + " a rule scores the whole event";
        }
        final int metric = metric(term.metric());
        if (metric >= SUM && metric <= MEAN && !spec.money()) {
            return "window '" + term.window() + "' keeps no amount metric (add sum(amount) to its metrics)";
        }
        if (metric == DISTINCT && !spec.hasDistinct(term.field())) {
            return "window '" + term.window() + "' has no distinct(" + term.field() + ") metric";
        }
        return null;
    }

    private static int metric(final String name) {
        switch (name) {
            case "count": return COUNT;
            case "sum": return SUM;
            case "min": return MIN;
            case "max": return MAX;
            case "mean": return MEAN;
            case "distinct": return DISTINCT;
            default: throw new IllegalArgumentException("unknown window metric " + name);
        }
    }

    @Override
    public void fill(final DirectBuffer buffer, final int offset, final long eventTime, final double[] values, final int from) {
        for (int k = 0; k < windows.length; k++) { // once per window, whatever the number of its terms (a query merges every pane)
            final long key = windows[k].keyHash(buffer, offset);
            readable[k] = windows[k].query(key, eventTime, views[k]) && views[k].held();
        }
        for (int i = 0; i < windowOf.length; i++) {
            values[from + i] = readable[windowOf[i]] ? value(i, views[windowOf[i]]) : Double.NaN;
        }
    }

    private double value(final int i, final WindowView view) {
        final boolean empty = view.count() == 0;
        switch (metrics[i]) {
            case COUNT: return view.count();
            case SUM: return view.sum();
            case MIN: return empty ? Double.NaN : view.min();
            case MAX: return empty ? Double.NaN : view.max();
            case MEAN: return empty ? Double.NaN : view.mean();
            default:
                final long estimate = view.distinct(distinctIndex[i]);
                return distinctCapped[i] ? Math.min(estimate, view.count()) : estimate;
        }
    }

}
