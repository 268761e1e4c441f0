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

        out.reset();
        assertEquals(1, pool.available(), "reset gives the spill buffer back");
        assertEquals(1024, out.buffer().capacity(), "the slot's own buffer did not grow");
        write(out, 10, (byte) 7);
        assertEquals(List.of("10x7"), read(out));
    }

    @Test
    void spillBuffersAreReusedNotReallocated() {
        final OutputSpillPool pool = new OutputSpillPool();
        final OutputBuffer a = new OutputBuffer(512, pool);
        final OutputBuffer b = new OutputBuffer(512, pool);
        for (int round = 0; round < 50; round++) {
            a.reset();
            b.reset();
            write(a, 3000, (byte) 1);
            write(b, 3000, (byte) 2);
            assertEquals(List.of("3000x1"), read(a));
            assertEquals(List.of("3000x2"), read(b));
        }
        assertEquals(2, pool.created(), "two slots spilled at once need two buffers, reused every round");
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
