package io.ringfence.engine.output;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutputBufferTest {

    private static void write(final OutputBuffer out, final int length, final byte fill) {
        final int at = out.begin();
        out.buffer().setMemory(at, length, fill);
        out.commit(at, length);
    }

    private static List<String> read(final OutputBuffer out) {
        final List<String> seen = new ArrayList<>();
        out.forEach((DirectBuffer b, int offset, int length) -> {
            for (int i = 0; i < length; i++) {
                if (b.getByte(offset + i) != b.getByte(offset)) {
                    throw new AssertionError("message corrupted at byte " + i);
                }
            }
            seen.add(length + "x" + b.getByte(offset));
        });
        return seen;
    }

    @Test
    void bigOutputSpillsIntoPoolAndSlotStaysSmall() {
        final OutputSpillPool pool = new OutputSpillPool();
        final OutputBuffer out = new OutputBuffer(1024, pool);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {          // ~300 KB, more than one spill buffer's initial size
            write(out, 1000, (byte) i);
            expected.add("1000x" + (byte) i);
        }
        assertEquals(expected, read(out), "messages written before and after the spill read back in order");
        assertEquals(300, out.count());
        assertEquals(1, pool.created());
        assertEquals(0, pool.available());

        out.release();
        assertEquals(0, out.count(), "released outputs read as empty");
        assertEquals(1, pool.available(), "release gives the spill buffer back");
        out.reset();
        assertEquals(1, pool.available(), "and reset does not give it twice");
        for (int i = 0; i < 300; i++) {
            write(out, 1000, (byte) i);
        }
        assertEquals(1, pool.created(), "the second big output reuses it");
        out.reset();
        assertEquals(1, pool.available(), "reset gives the spill buffer back");
        assertEquals(1024, out.buffer().capacity(), "the slot's own buffer did not grow");
        write(out, 900, (byte) 5);
        assertEquals(1024, out.buffer().capacity(), "a first message always goes into the slot's own buffer");
        write(out, 10, (byte) 7);
        assertEquals(List.of("900x5", "10x7"), read(out), "the second message spilled; both read back in order");
    }

    @Test
    void spillBuffersAreReusedNotReallocated() {
        final OutputSpillPool pool = new OutputSpillPool();
        final OutputBuffer a = new OutputBuffer(512, pool);
        final OutputBuffer b = new OutputBuffer(512, pool);
        for (int round = 0; round < 50; round++) {
            a.reset();
            b.reset();
            write(a, 100, (byte) 1);
            write(a, 3000, (byte) 1);
            write(b, 100, (byte) 2);
            write(b, 3000, (byte) 2);
            assertEquals(List.of("100x1", "3000x1"), read(a));
            assertEquals(List.of("100x2", "3000x2"), read(b));
        }
        assertEquals(2, pool.created(), "two slots spilled at once need two buffers, reused every round");
        assertEquals(1024 / 2, OutputBuffer.HEADROOM, "the spill threshold leaves room for small multi-output events");
    }

    @Test
    void withoutPoolBufferGrowsInPlace() {
        final OutputBuffer out = new OutputBuffer(64);
        write(out, 5000, (byte) 3);
        assertEquals(List.of("5000x3"), read(out));
    }

    @Test
    void beginTwiceOrCommitWithoutBeginIsRefused() {
        final OutputBuffer out = new OutputBuffer(64);
        final int at = out.begin();
        assertThrows(IllegalStateException.class, out::begin);
        out.commit(at, 0);
        assertThrows(IllegalStateException.class, () -> out.commit(at, 0));
    }
}
