package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;

/**
 * Sees a tumbling window's intervals close, on the business thread, in event-time order: for
 * each closed interval with data, {@link #onKeyClosed} once per key (keys in first-event order)
 * then {@link #onWindowClosed}; and {@link #onWatermark} after every watermark advance, so that a
 * listener can also move past intervals in which no key had an event (those produce no callback
 * of their own). {@link WindowAggregator#flush} closes the open intervals but does not advance
 * the watermark, and reports only those that ended by the newest event time, not the one the
 * input ended in. Arguments are only valid during the call.
 */
public interface WindowCloseListener {
    /**
     * One key's aggregates of the interval {@code [start, start + size)}.
     *
     * @param keyHash   the window's key hash (includes the currency in money windows)
     * @param keyText   the key as the caller sent it (parts joined by '|'), first {@code keyLength} bytes
     * @param currency  three bytes, NUL in windows without money metrics
     * @param amount    the amounts' aggregates (minor units); {@code qty} likewise for quantities
     * @param subsets   the {@code count(subset)} counters in the window's configuration order
     *                  ({@link WindowSpec#subsetIndex}); empty without subset metrics
     */
    void onKeyClosed(long start, long keyHash, byte[] keyText, int keyLength, byte[] currency, long count,
                     NumericStats amount, NumericStats qty, long[] subsets, long seq, OutputBuffer out);

    /** Every key of the interval starting at {@code start} has been reported. */
    void onWindowClosed(long start, long seq, OutputBuffer out);

    /** The watermark is now {@code watermark}: every interval ending at or before it is closed. */
    void onWatermark(long watermark, long seq, OutputBuffer out);
}
