package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;

/**
 * A tumbling window definition: epoch-aligned windows {@code [s, s + size)} with
 * {@code s = floor(t / size) * size}, emitted as one {@code WindowResult} per key (keys in order
 * of their first event in the window) when the watermark reaches the window's end.
 */
final class TumblingWindow extends KeyedWindow {
    private final WindowResultPublisher publisher;

    TumblingWindow(final WindowSpec spec) {
        super(spec);
        publisher = new WindowResultPublisher(spec);
    }

    @Override
    void onRelease(final PaneInstance pane, final long seq, final OutputBuffer out) {
        for (PaneState s = pane.head; s != null; s = s.nextInPane) {
            publisher.publish(seq, pane.start, lateCount(), s, out);
        }
    }
}
