package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;

import java.util.Arrays;

/**
 * A tumbling window definition: epoch-aligned windows {@code [s, s + size)} with
 * {@code s = floor(t / size) * size}, emitted as one {@code WindowResult} per key (keys in order
 * of their first event in the window) when the watermark reaches the window's end.
 */
final class TumblingWindow extends KeyedWindow {
    private final WindowResultPublisher publisher;
    private WindowCloseListener[] listeners = new WindowCloseListener[0];

    TumblingWindow(final WindowSpec spec) {
        super(spec);
        publisher = new WindowResultPublisher(spec);
    }

    @Override
    void onRelease(final PaneInstance pane, final long seq, final boolean complete, final OutputBuffer out) {
        for (PaneState s = pane.head; s != null; s = s.nextInPane) {
            publisher.publish(seq, pane.start, lateCount(), s, out);
        }
        final WindowCloseListener[] ls = listeners;
        // an interval the end of input cut short is published (its partial counts are what there is) but
        // not observed: a monitor would see a half-finished hour as a drop and alert on it
        if (complete && ls.length != 0) {
            for (final WindowCloseListener l : ls) {
                for (PaneState s = pane.head; s != null; s = s.nextInPane) {
                    l.onKeyClosed(pane.start, s.entry.keyHash, s.entry.keyText, s.entry.keyLength, s.entry.currency, s.count,
                            s.amount, s.qty, s.subsets, seq, out);
                }
                l.onWindowClosed(pane.start, seq, out);
            }
        }
    }

    @Override
    void onWatermark(final long watermark, final long seq, final OutputBuffer out) {
        for (final WindowCloseListener l : listeners) {
            l.onWatermark(watermark, seq, out);
        }
    }

    /** Adds a listener (set-up time only: it copies the array). */
    void addListener(final WindowCloseListener listener) {
        final WindowCloseListener[] more = Arrays.copyOf(listeners, listeners.length + 1);
        more[listeners.length] = listener;
        listeners = more;
    }
}
