package io.ringfence.engine.window;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import io.ringfence.engine.output.OutputBuffer;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * The windowed-aggregation stage: feeds every inbound event to each configured window, in
 * configuration order, and appends the {@code WindowResult}s of tumbling windows the event
 * closed to the event's {@link OutputBuffer}.
 *
 * <p>Deterministic: only event time is read; windows are visited in configuration order, closed
 * windows in time order, keys in order of their first event in the window; no hash map is
 * iterated. The same events give the same output bytes and the same {@link #stateHash()}.
 *
 * <p>Allocation-free per event once every key and pane has been seen once (objects are pooled),
 * except when a topk or distinct sketch first exceeds its exact bound. Not thread-safe: one
 * business thread owns it.
 */
public final class WindowAggregator {
    private final InboundEventAdapter event = new InboundEventAdapter();
    private final KeyedWindow[] windows;
    private final List<WindowSpec> specs;
    /** Windows with {@code count(declined)} or {@code count(held)}, fed each decision. */
    private final KeyedWindow[] decisionWindows;
    /** The sequence of the event the adapter holds (valid for {@link #onDecided}), or -1. */
    private long wrappedSeq = -1;

    public WindowAggregator(final List<WindowSpec> specs) {
        this.specs = List.copyOf(specs);
        windows = new KeyedWindow[specs.size()];
        for (int i = 0; i < windows.length; i++) {
            final WindowSpec spec = specs.get(i);
            for (int j = 0; j < i; j++) {
                if (specs.get(j).name().equals(spec.name())) {
                    throw new IllegalArgumentException("two windows named " + spec.name());
                }
            }
            windows[i] = spec.kind() == WindowSpec.Kind.TUMBLING ? new TumblingWindow(spec) : new SlidingWindow(spec);
        }
        int deciding = 0;
        for (final KeyedWindow w : windows) {
            deciding += w.countsDecisions() ? 1 : 0;
        }
        decisionWindows = new KeyedWindow[deciding];
        deciding = 0;
        for (final KeyedWindow w : windows) {
            if (w.countsDecisions()) {
                decisionWindows[deciding++] = w;
            }
        }
    }

    public List<WindowSpec> specs() {
        return specs;
    }

    /**
     * Where a payment's merchant comes from: the merchant of its order as the order stage holds it
     * (set-up time, before any event). Without it every payment's merchant is unknown.
     */
    public void joinMerchants(final OrderMerchants merchants) {
        event.joinMerchants(merchants);
        for (final KeyedWindow w : windows) {
            if (w instanceof SlidingWindow) {
                ((SlidingWindow) w).joinMerchants(merchants); // its queries key payments the same way
            }
        }
    }

    /**
     * Applies one inbound event.
     *
     * @param seq    engine sequence of the event; carried by every output it causes
     * @param offset where the event's SBE message header starts; types other than order,
     *               payment and activity (and other schemas) are ignored
     * @param out    receives the WindowResults of windows this event closed
     */
    public void onEvent(final long seq, final DirectBuffer buffer, final int offset, final OutputBuffer out) {
        if (!event.wrap(buffer, offset)) {
            wrappedSeq = -1;
            return;
        }
        wrappedSeq = seq;
        for (final KeyedWindow w : windows) {
            w.onEvent(event, seq, out);
        }
    }

    /**
     * The engine's decision on the event {@link #onEvent} applied last, for the windows with
     * {@code count(declined)} / {@code count(held)}: the business stage calls it right after the
     * decision stage, before the next event, so the event's own interval counts its verdict (and a
     * replay counts it the same). Ignored unless {@code seq} is that event and it is an order or a
     * payment.
     */
    public void onDecided(final long seq, final io.ringfence.sbe.Outcome outcome) {
        if (decisionWindows.length == 0 || seq != wrappedSeq || event.type() == EventType.ACTIVITY) {
            return;
        }
        for (final KeyedWindow w : decisionWindows) {
            w.onOutcome(event, outcome);
        }
    }

    /**
     * End of input: closes and emits every open tumbling window (windows in configuration order,
     * each oldest first). Tumbling windows then treat every further event as late. Sliding
     * windows are untouched. Close listeners (anomaly monitors) hear only of the intervals that
     * ended by the newest event time, not of the one the input ended in.
     */
    public void flush(final long seq, final OutputBuffer out) {
        for (final KeyedWindow w : windows) {
            if (w instanceof TumblingWindow) {
                w.releaseAll(seq, out);
            }
        }
    }

    /** The sliding window of that name, for queries. */
    public SlidingWindow sliding(final String name) {
        final KeyedWindow w = window(name);
        if (!(w instanceof SlidingWindow)) {
            throw new IllegalArgumentException(name + " is a tumbling window; only sliding windows are queryable");
        }
        return (SlidingWindow) w;
    }

    /**
     * Registers a listener for the closed intervals of a tumbling window (set-up time, before any
     * event; see {@link WindowCloseListener}).
     *
     * @throws IllegalArgumentException if there is no such window or it is sliding
     */
    public void addCloseListener(final String name, final WindowCloseListener listener) {
        final KeyedWindow w = window(name);
        if (!(w instanceof TumblingWindow)) {
            throw new IllegalArgumentException(name + " is a sliding window; only tumbling windows close intervals");
        }
        ((TumblingWindow) w).addListener(listener);
    }

    /** Late events of the window so far (the {@code lateTotal} of its results). */
    public long lateCount(final String name) {
        return window(name).lateCount();
    }

    /** Contributions refused because the window already had maxKeys live keys. */
    public long keysDropped(final String name) {
        return window(name).keysDropped();
    }

    /**
     * Payments the window took in (not late) whose order's merchant is unknown: the order was
     * never seen, already forgotten, over {@code orders.maxOrders}, held without a merchant, or
     * the orders stage is off. Keyed by merchant, they are under no key. 0 for windows that do
     * not {@link WindowSpec#joinsMerchant join merchants}.
     */
    public long unknownMerchants(final String name) {
        return window(name).unknownMerchants();
    }

    /** Keys (or (key, currency) pairs) with data in a live pane. */
    public int liveKeys(final String name) {
        return window(name).liveKeys();
    }

    /** HyperLogLog register arrays the window has made; bounded by the panes estimating at once. */
    int registerArraysCreated(final String name) {
        return window(name).registerArraysCreated();
    }

    /** Watermark of the window: largest event time seen minus lateness (Long.MIN_VALUE before any). */
    public long watermark(final String name) {
        return window(name).watermark();
    }

    /** A deterministic hash of all live state of all windows (replay and snapshot tests). */
    public long stateHash() {
        long h = windows.length;
        for (final KeyedWindow w : windows) {
            h = Mix.combine(h, w.stateHash());
        }
        return h;
    }

    /** An upper bound of the bytes {@link #writeState} writes now, from counts (no walk over the state). */
    public long stateBytesBound() {
        long b = 4;
        for (final KeyedWindow window : windows) {
            b += window.stateBytesBound();
        }
        return b;
    }

    /** Writes every window's state, in configuration order (snapshots). */
    public void writeState(final StateWriter w) {
        w.putInt(windows.length);
        for (final KeyedWindow window : windows) {
            window.writeState(w);
        }
    }

    /** Restores {@link #writeState}'s state into windows that have seen no event. */
    public void readState(final StateReader r) {
        final int n = r.getInt();
        if (n != windows.length) {
            throw new SnapshotFormatException("the snapshot has " + n + " windows, the configuration " + windows.length);
        }
        for (final KeyedWindow window : windows) {
            window.readState(r);
        }
    }

    private KeyedWindow window(final String name) {
        for (final KeyedWindow w : windows) {
            if (w.spec.name().equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no window named " + name);
    }
}
