package io.ringfence.tools.load;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Events encoded before a run starts and replayed from memory, each with its line (its number in
 * the input file, or in a generated run). {@code bench} records one per rate: generating the shop
 * on the sending thread allocated ~0.5 KB per event (strings), and the resulting young collections
 * paused engine, gateway and client alike mid-measurement; the same tape feeds the engine run and
 * its echo baseline, so both send the same bytes. {@code load} records its whole input first, so
 * the time the client spends reading JSON and encoding SBE (hundreds of µs for a large basket on
 * a cold JVM) is not counted as the server's latency from each event's intended send time.
 *
 * <p>Held off-heap in 16 MiB chunks, so a long run's tape neither fills the old generation (which
 * started concurrent collections mid-run) nor is ever copied; freed with the tape by a later collection.
 */
public final class EventTape implements LoadSource {
    private static final int CHUNK = 16 << 20;

    private final List<UnsafeBuffer> chunks = new ArrayList<>();
    private long[] positions;
    private long[] lines;
    private int[] lengths;
    private int count;
    private long bytes;
    private long emitted;

    private EventTape(final int capacity) {
        positions = new long[capacity];
        lines = new long[capacity];
        lengths = new int[capacity];
    }

    /** The next {@code count} events of {@code source}, copied; fails when it has fewer. */
    public static EventTape record(final LoadSource source, final long count) throws Exception {
        final EventTape tape = new EventTape(Math.toIntExact(count));
        if (count > 0) {
            source.emit((buffer, offset, length, line) -> tape.add(buffer, offset, length, line) < count);
        }
        if (tape.count < count) {
            throw new IllegalStateException("the source ran out after " + tape.count + " of " + count + " events");
        }
        return tape;
    }

    /**
     * Every event of {@code source}, copied, at most {@code maxBytes} of them.
     *
     * @throws IllegalStateException when the events take more than {@code maxBytes}
     */
    public static EventTape recordAll(final LoadSource source, final long maxBytes) throws Exception {
        final EventTape tape = new EventTape(1024);
        source.emit((buffer, offset, length, line) -> {
            if (tape.bytes + length > maxBytes) {
                throw new IllegalStateException("the events take more than " + (maxBytes >> 20) + " MiB");
            }
            tape.add(buffer, offset, length, line);
            return true;
        });
        return tape;
    }

    /** @return events recorded so far */
    private int add(final DirectBuffer buffer, final int offset, final int length, final long line) {
        if (length > CHUNK) {
            throw new IllegalStateException("an event of " + length + " bytes does not fit a tape chunk");
        }
        if (count == positions.length) {
            final int grown = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, 2L * count));
            positions = Arrays.copyOf(positions, grown);
            lines = Arrays.copyOf(lines, grown);
            lengths = Arrays.copyOf(lengths, grown);
        }
        final long end = bytesInLastChunk();
        final int at;
        if (chunks.isEmpty() || end + length > CHUNK) {
            chunks.add(new UnsafeBuffer(ByteBuffer.allocateDirect(CHUNK)));
            at = 0;
        } else {
            at = (int) end;
        }
        final int chunk = chunks.size() - 1;
        chunks.get(chunk).putBytes(at, buffer, offset, length);
        positions[count] = ((long) chunk << 32) | at;
        lines[count] = line;
        lengths[count] = length;
        bytes += length;
        return ++count;
    }

    private long bytesInLastChunk() {
        if (count == 0) {
            return 0;
        }
        final long p = positions[count - 1];
        return (int) p + lengths[count - 1];
    }

    public int size() {
        return count;
    }

    /** Bytes of the events held. */
    public long bytes() {
        return bytes;
    }

    /** Plays the whole tape from the start (each call). */
    @Override
    public void emit(final Sink sink) throws Exception {
        for (int i = 0; i < count; i++) {
            emitted = i + 1;
            final long p = positions[i];
            if (!sink.onEvent(chunks.get((int) (p >>> 32)), (int) p, lengths[i], lines[i])) {
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
