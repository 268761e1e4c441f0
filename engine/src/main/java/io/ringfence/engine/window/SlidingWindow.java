package io.ringfence.engine.window;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A sliding window definition: panes of {@code step} aligned to the epoch, kept per key and
 * queried (never emitted) by later stages, e.g. velocity features per user over 1 h.
 *
 * <p>What a query covers: {@code query(key, asOf, view)} merges the key's panes in
 * {@code [p + step − size, p + step)} where {@code p = floor(asOf / step) * step} is the pane
 * containing {@code asOf}: the size/step panes ending with it. So the window is pane aligned: it
 * may include events of asOf's own pane later than asOf, and excludes the part of the oldest
 * pane before the aligned start. The aggregation stage runs before the stages that query, so a
 * query for the current event already includes it (and any events of the same pane).
 *
 * <p>Panes are kept until {@code paneStart + size ≤ watermark}; queries with asOf at or after the
 * watermark's pane are therefore always {@link WindowView#complete() complete}; older ones see
 * only the panes still kept and return false. Late events (pane already closed) are counted,
 * not merged, as in tumbling windows.
 *
 * <p>Key hashes: {@link #keyHash(DirectBuffer, int, int)} of an event is exactly what the window
 * keys its state by (see {@link KeyedWindow} for the formula, including the currency in windows
 * with money metrics). Not thread-safe: query from the business thread that feeds the aggregator.
 */
public final class SlidingWindow extends KeyedWindow {
    /** Key hash meaning "this event has no key for this window". */
    public static final long NO_KEY = KeyedWindow.NO_KEY;

    private final InboundEventAdapter adapter = new InboundEventAdapter();

    SlidingWindow(final WindowSpec spec) {
        super(spec);
    }

    @Override
    void onRelease(final PaneInstance pane, final long seq, final boolean complete, final OutputBuffer out) {
        // sliding windows are queried, not emitted
    }

    public WindowSpec spec() {
        return spec;
    }

    /** The merchants of payments' orders for {@link #keyHash(DirectBuffer, int, int)} (see {@link WindowAggregator#joinMerchants}). */
    void joinMerchants(final OrderMerchants merchants) {
        adapter.joinMerchants(merchants);
    }

    public String name() {
        return spec.name();
    }

    /** Same as {@code keyHash(buffer, offset, 0)}. */
    public long keyHash(final DirectBuffer buffer, final int offset) {
        return keyHash(buffer, offset, 0);
    }

    /**
     * The key hash this window uses for an inbound event.
     *
     * @param offset where the event's SBE message header starts
     * @param line   the order item line, for windows keyed by sku/category (ignored otherwise)
     * @return the hash, or {@link #NO_KEY} when the event does not feed this window or lacks a key part
     */
    public long keyHash(final DirectBuffer buffer, final int offset, final int line) {
        if (!adapter.wrap(buffer, offset)) {
            return NO_KEY;
        }
        return keyHash(adapter, line);
    }

    /**
     * The key hash from id strings (edge code, tools and tests; allocates).
     *
     * @param currency the ISO code in windows with money metrics, else ignored (may be null)
     * @param parts    the key parts in configured order
     */
    public long keyHash(final String currency, final String... parts) {
        if (parts.length != keyParts.length) {
            throw new IllegalArgumentException(name() + " has " + keyParts.length + " key parts, got " + parts.length);
        }
        long h = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null || parts[i].isEmpty()) {
                return NO_KEY;
            }
            final long ph = Ids.hash(parts[i]);
            h = i == 0 ? ph : Ids.combine(h, ph);
        }
        if (spec.money()) {
            final byte[] c = currency.getBytes(StandardCharsets.US_ASCII);
            h = Ids.combine(h, Ids.hash(c, 0, Math.min(3, c.length)));
        }
        return h == NO_KEY ? 1 : h;
    }

    /** Index of {@code distinct(field)} among this window's distinct metrics, for {@link WindowView#distinct(int)}; -1 if none. */
    public int distinctIndex(final String field) {
        final KeyField f = KeyField.fromConfig(field);
        for (int i = 0; i < distinctFields.length; i++) {
            if (distinctFields[i] == f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Aggregates of one key over the window as of a time (see class comment for the exact range).
     * Allocation-free.
     *
     * @param keyHash    from {@link #keyHash(DirectBuffer, int, int)}; {@link #NO_KEY} gives an empty view
     * @param asOfMicros the time the window ends at (normally the current event's time)
     * @param out        filled with the result
     * @return true when every pane of the range is still kept (see {@link WindowView#complete()})
     */
    public boolean query(final long keyHash, final long asOfMicros, final WindowView out) {
        if (out.distinct.length < distinctFields.length) {
            throw new IllegalArgumentException("view holds " + out.distinct.length + " distinct sketches, "
                + name() + " needs " + distinctFields.length);
        }
        final long paneStart = Math.floorDiv(asOfMicros, step) * step;
        final long end = paneStart + step;
        final long start = end - size;
        out.reset(start, end, distinctFields.length);
        final long wm = watermark();
        out.complete = wm == Long.MIN_VALUE || end > wm;
        if (keyHash == NO_KEY) {
            return out.complete;
        }
        final KeyEntry entry = entry(keyHash);
        out.held = entry != null;
        if (entry != null) {
            for (PaneState s = entry.newest; s != null && s.paneStart >= start; s = s.olderInKey) {
                if (s.paneStart < end) {
                    out.merge(s);
                }
            }
        }
        return out.complete;
    }

    /**
     * Whether {@code distinct(field)} adds one value per contribution, so an estimate above the count is surely too
     * high and is cut to it (as window results are); not an item field of orders in a window without an item key.
     */
    public boolean distinctCappedAtCount(final String field) {
        final KeyField f = KeyField.fromConfig(field);
        return f == null || !(f.itemLevel() && !spec.itemLevelKey() && spec.accepts(EventType.ORDER));
    }

    /** Largest event time seen minus lateness; Long.MIN_VALUE before the first event. */
    public long currentWatermark() {
        return watermark();
    }
}
