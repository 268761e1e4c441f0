package io.ringfence.tools.load;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An {@link EventTape} plays back every event byte for byte with its own line, across chunks, and refuses more than its cap. */
class EventTapeTest {
    /** {@code n} events of 1,000-1,999 bytes, each filled with its index, on odd lines (a file with blank or bad lines between). */
    private static LoadSource source(final int n) {
        return new LoadSource() {
            @Override
            public void emit(final Sink sink) throws Exception {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
                for (int i = 0; i < n; i++) {
                    final int length = 1_000 + i % 1_000;
                    buffer.setMemory(7, length, (byte) i);
                    if (!sink.onEvent(buffer, 7, length, 2L * i + 1)) {
                        return;
                    }
                }
            }

            @Override
            public long progress() {
                return 0;
            }

            @Override
            public long progressTotal() {
                return n;
            }

            @Override
            public String progressUnit() {
                return " events";
            }
        };
    }

    @Test
    void playsBackEveryEventWithItsLineAcrossChunks() throws Exception {
        final int n = 30_000; // ~45 MB: three 16 MiB chunks
        final EventTape tape = EventTape.recordAll(source(n), 1L << 30);
        assertEquals(n, tape.size());
        final List<Long> lines = new ArrayList<>();
        final long[] bytes = {0};
        for (int round = 0; round < 2; round++) { // each emit plays from the start
            lines.clear();
            bytes[0] = 0;
            tape.emit((buffer, offset, length, line) -> {
                final int i = lines.size();
                assertEquals(1_000 + i % 1_000, length, "event " + i);
                assertEquals((byte) i, buffer.getByte(offset), "event " + i);
                assertEquals((byte) i, buffer.getByte(offset + length - 1), "event " + i);
                lines.add(line);
                bytes[0] += length;
                return true;
            });
            assertEquals(n, lines.size());
            assertEquals(1L, lines.get(0));
            assertEquals(2L * (n - 1) + 1, lines.get(n - 1), "the source's line, not the event's index");
            assertEquals(tape.bytes(), bytes[0]);
        }
        assertTrue(tape.bytes() > 32L << 20, "crossed two chunk boundaries: " + tape.bytes());
        assertEquals(100, EventTape.record(source(n), 100).size(), "record takes the first events only");
        assertThrows(IllegalStateException.class, () -> EventTape.record(source(10), 11), "a source that runs out");
        final IllegalStateException cap = assertThrows(IllegalStateException.class, () -> EventTape.recordAll(source(n), 1 << 20));
        assertTrue(cap.getMessage().contains("more than 1 MiB"), cap.getMessage());
    }
}
