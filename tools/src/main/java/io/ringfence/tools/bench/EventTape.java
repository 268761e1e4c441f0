package io.ringfence.tools.bench;

import io.ringfence.tools.load.LoadSource;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The events of one {@code bench} rate, encoded before the run starts and replayed from memory:
 * generating the shop on the sending thread allocated ~0.5 KB per event (strings), and the
 * resulting young collections paused engine, gateway and client alike in the middle of the
 * measurement. The same tape feeds the engine run and its echo baseline, so both send the same
 * bytes. Held off-heap in 16 MiB chunks, so a long run's tape neither fills the old generation (which
 * started concurrent collections mid-run) nor is ever copied; freed with the tape by the next collection.
 */
final class EventTape implements LoadSource {
    private static final int CHUNK = 16 << 20;

    private final List<UnsafeBuffer> chunks = new ArrayList<>();
    private final long[] positions;
    private final int[] lengths;
    private final int count;
    private long emitted;

    private EventTape(final int count) {
        this.count = count;
        this.positions = new long[count];
        this.lengths = new int[count];
    }

    /** The next {@code count} events of {@code source}, copied. */
    static EventTape record(final LoadSource source, final long count) throws Exception {
        final EventTape tape = new EventTape(Math.toIntExact(count));
        final int[] at = {0, CHUNK}; // events recorded, position in the current chunk (full: start a new one)
        if (count == 0) {
            return tape;
        }
        source.emit((buffer, offset, length, line) -> {
            if (length > CHUNK) {
                throw new IllegalStateException("an event of " + length + " bytes does not fit a tape chunk");
            }
            if (at[1] + length > CHUNK) {
                tape.chunks.add(new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(CHUNK)));
                at[1] = 0;
            }
            final int chunk = tape.chunks.size() - 1;
            tape.chunks.get(chunk).putBytes(at[1], buffer, offset, length);
            tape.positions[at[0]] = ((long) chunk << 32) | at[1];
            tape.lengths[at[0]] = length;
            at[1] += length;
            at[0]++;
            return at[0] < tape.count;
        });
        if (at[0] < tape.count) {
            throw new IllegalStateException("the source ran out after " + at[0] + " of " + count + " events");
        }
        return tape;
    }

    int size() {
        return count;
    }

    /** Plays the whole tape from the start (each call). */
    @Override
    public void emit(final Sink sink) throws Exception {
        for (int i = 0; i < count; i++) {
            emitted = i + 1;
            final long p = positions[i];
            if (!sink.onEvent(chunks.get((int) (p >>> 32)), (int) p, lengths[i], i + 1)) {
                return;
            }
        }
    }

    @Override
    public long progress() {
        return emitted;
    }

    @Override
    public long progressTotal() {
        return count;
    }

    @Override
    public String progressUnit() {
        return " events";
    }
}
