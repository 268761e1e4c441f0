package io.ringfence.tools.load;

import org.agrona.DirectBuffer;

/** Where the events of a {@code load} run come from: a JSON Lines file, or the seeded shop. */
public interface LoadSource {
    /** Receives each event as an SBE message (header included); returns false to stop the source. */
    @FunctionalInterface
    interface Sink {
        boolean onEvent(DirectBuffer buffer, int offset, int length, long line) throws Exception;
    }

    /** Emits events in order until it runs out or the sink returns false. */
    void emit(Sink sink) throws Exception;

    /** Progress so far in {@link #progressUnit()}s. */
    long progress();

    /** Total in {@link #progressUnit()}s, or -1 when unknown. */
    long progressTotal();

    String progressUnit();
}
