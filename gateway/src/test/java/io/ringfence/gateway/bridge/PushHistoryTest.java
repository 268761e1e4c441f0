package io.ringfence.gateway.bridge;

import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push history against a plain list model: what it holds after any mix of sizes and wraps is the newest
 * pushes, whole sequences only, in order, byte for byte, and {@code heldAfter} names the newest sequence dropped;
 * {@code firstFrom} finds where a catch-up starts; a snapshot of it restores the same, also into a smaller capacity.
 */
class PushHistoryTest {
    private record Push(long seq, byte[] bytes) {
    }

    @Test
    void shouldHoldTheNewestWholeSequencesInOrderThroughManyWraps() {
        final Random random = new Random(7);
        final int capacity = 64 * 1024;
        final PushHistory history = new PushHistory(capacity);
        final List<Push> all = new ArrayList<>();
        long seq = 100;
        history.start(seq);
        assertEquals(99, history.heldAfter(), "nothing before the first event");
        long previousHeldAfter = 99;
        for (int i = 0; i < 30_000; i++) {
            if (random.nextInt(3) == 0) {
                seq += 1 + random.nextInt(3);
            }
            final byte[] bytes = new byte[8 + random.nextInt(random.nextInt(10) == 0 ? 1500 : 200)];
            random.nextBytes(bytes);
            history.add(seq, new UnsafeBuffer(bytes), 0, bytes.length);
            all.add(new Push(seq, bytes));

            final long heldAfter = history.heldAfter();
            assertTrue(heldAfter >= previousHeldAfter && heldAfter < seq, "heldAfter only grows and keeps the newest push");
            previousHeldAfter = heldAfter;
            // exactly every push of every sequence after heldAfter, in order, byte for byte
            int first = all.size();
            while (first > 0 && all.get(first - 1).seq() > heldAfter) {
                first--;
            }
            final List<Push> held = contents(history);
            assertSame(all.subList(first, all.size()), held, "after push " + i);
            // where a catch-up starts: the oldest held push of a sequence at or after the one asked for
            final long from = heldAfter + random.nextInt((int) (seq - heldAfter) + 2);
            int expected = 0;
            while (expected < held.size() && held.get(expected).seq() < from) {
                expected++;
            }
            final int start = history.firstFrom(from);
            if (expected == held.size()) {
                assertEquals(-1, start, "after push " + i + ": nothing held from " + from);
            } else {
                assertSame(held.subList(expected, held.size()), contentsFrom(history, start), "after push " + i + ", from " + from);
            }
            assertEquals(held.size(), history.size());
            long bytesHeld = 0;
            for (final Push p : held) {
                bytesHeld += align(16 + p.bytes().length);
            }
            assertTrue(bytesHeld <= capacity, "within capacity");
            // no needless drops: whatever a wrap wastes, at least a third of the ring stays in use once it was full
            if (i > 2_000) {
                assertTrue(bytesHeld >= capacity / 3, "after push " + i + ": only " + bytesHeld + " bytes held");
            }
        }
    }

    private static void assertSame(final List<Push> expected, final List<Push> actual, final String where) {
        assertEquals(expected.size(), actual.size(), where + ": pushes held");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).seq(), actual.get(i).seq(), where);
            assertArrayEquals(expected.get(i).bytes(), actual.get(i).bytes(), where);
        }
    }

    @Test
    void shouldDropEverythingForAPushTooLargeToKeepAndSayFromWhere() {
        final PushHistory history = new PushHistory(1024);
        history.add(5, new UnsafeBuffer(new byte[100]), 0, 100);
        history.add(6, new UnsafeBuffer(new byte[600]), 0, 600);
        assertEquals(0, history.size());
        assertEquals(6, history.heldAfter(), "nothing up to the large push's sequence is held whole");
        history.add(7, new UnsafeBuffer(new byte[10]), 0, 10);
        assertEquals(1, history.size());
    }

    @Test
    void shouldKeepNothingWithNoCapacityAndSaySo() {
        final PushHistory history = new PushHistory(0);
        history.start(1);
        assertEquals(0, history.heldAfter());
        history.add(3, new UnsafeBuffer(new byte[20]), 0, 20);
        assertEquals(0, history.size());
        assertEquals(3, history.heldAfter());
    }

    @Test
    void shouldRestoreFromItsSnapshotAlsoIntoLessRoom() {
        final PushHistory history = new PushHistory(8192);
        history.start(10);
        final Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            final byte[] bytes = new byte[20 + random.nextInt(100)];
            random.nextBytes(bytes);
            history.add(10 + i / 2, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        final StateWriter w = new StateWriter(1 << 16);
        history.writeState(w);
        assertTrue(w.position() <= history.stateBytesBound(), "within its bound");

        final PushHistory same = new PushHistory(8192);
        same.readState(GatewaySinkCatchUpTest.reader(w));
        assertSame(contents(history), contents(same), "restored");
        assertEquals(history.heldAfter(), same.heldAfter());

        final PushHistory smaller = new PushHistory(2048);
        smaller.readState(GatewaySinkCatchUpTest.reader(w));
        final List<Push> all = contents(history);
        final List<Push> kept = contents(smaller);
        assertSame(all.subList(all.size() - kept.size(), all.size()), kept, "the newest are kept");
        assertEquals(all.get(all.size() - kept.size() - 1).seq(), smaller.heldAfter(), "held after the newest sequence dropped");
        assertTrue(kept.get(0).seq() > smaller.heldAfter());
    }

    @Test
    void shouldHoldOneSequenceLargerThanItsCapacityWholeThenGoBack() {
        final PushHistory history = new PushHistory(4096, 1 << 20, false);
        history.add(1, new UnsafeBuffer(new byte[100]), 0, 100);
        final List<Push> burst = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // 300 x 120 bytes = 36,000: nine times the capacity
            final byte[] bytes = new byte[104];
            bytes[0] = (byte) i;
            history.add(2, new UnsafeBuffer(bytes), 0, bytes.length);
            burst.add(new Push(2, bytes));
        }
        assertSame(burst, contents(history), "every push of the one sequence");
        assertEquals(1, history.heldAfter(), "only the sequence before it dropped");
        assertTrue(history.capacity() >= 36_000 && history.capacity() <= 65_536, "doubled as needed: " + history.capacity());
        assertEquals(2, history.seq(history.firstFrom(2)));
        assertTrue(history.stateBytesBound() > 36_000, "a snapshot's bound follows");

        // later sequences fill the grown ring; the first that needs room brings it back, with the newest whole sequences
        final List<Push> later = new ArrayList<>();
        long seq = 3;
        while (history.capacity() > 4096) {
            final byte[] bytes = new byte[200];
            bytes[0] = (byte) seq;
            history.add(seq, new UnsafeBuffer(bytes), 0, bytes.length);
            later.add(new Push(seq, bytes));
            seq++;
        }
        final List<Push> held = contents(history);
        assertSame(later.subList(later.size() - held.size(), later.size()), held, "the newest, back in the base ring");
        assertEquals(held.get(0).seq() - 1, history.heldAfter());
        assertTrue(held.size() >= 4096 / 216 / 2, "kept what fits: " + held.size());
    }

    @Test
    void shouldKeepWhatItCanAtTheCeilingAndSaySo() {
        final PushHistory history = new PushHistory(4096, 8192, false);
        for (int i = 0; i < 300; i++) {
            history.add(2, new UnsafeBuffer(new byte[104]), 0, 104);
        }
        assertEquals(8192, history.capacity());
        assertEquals(2, history.heldAfter(), "the sequence is no longer held whole");
        assertTrue(history.size() > 0 && history.size() < 300);
    }

    @Test
    void shouldNeverGrowWithTheCeilingAtItsCapacity() {
        final PushHistory history = new PushHistory(4096);
        for (int i = 0; i < 300; i++) {
            history.add(2, new UnsafeBuffer(new byte[104]), 0, 104, 1);
        }
        assertEquals(4096, history.capacity());
        assertEquals(2, history.heldAfter());
    }

    /**
     * Random pushes, sizes and floors (the oldest sequence a subscriber being caught up needs) against a list model: it
     * holds exactly every push after heldAfter, never drops a sequence at or after the floor or the one being added
     * unless at its ceiling, stays within its ceiling, and is back at its capacity whenever no floor holds it.
     */
    @Test
    void shouldNeverDropWhatAFloorHoldsBelowItsCeiling() {
        final Random random = new Random(11);
        final int base = 8 * 1024;
        final int ceiling = 64 * 1024;
        final PushHistory history = new PushHistory(base, ceiling, false);
        final List<Push> all = new ArrayList<>();
        long seq = 1;
        history.start(seq);
        long floor = PushHistory.NO_FLOOR;
        int grown = 0;
        int atCeiling = 0;
        for (int i = 0; i < 40_000; i++) {
            if (random.nextInt(random.nextInt(50) == 0 ? 400 : 3) == 0) {
                seq++;
            }
            if (random.nextInt(500) == 0) {
                floor = random.nextBoolean() ? PushHistory.NO_FLOOR : history.heldAfter() + 1 + random.nextInt((int) (seq - history.heldAfter()));
            }
            final byte[] bytes = new byte[8 + random.nextInt(200)];
            random.nextBytes(bytes);
            final long heldBefore = history.heldAfter();
            history.add(seq, new UnsafeBuffer(bytes), 0, bytes.length, floor);
            all.add(new Push(seq, bytes));

            final long heldAfter = history.heldAfter();
            final boolean dropped = heldAfter > heldBefore;
            if (dropped && (heldAfter >= seq || heldAfter >= floor)) {
                assertEquals(ceiling, history.capacity(), "after push " + i + ": dropped through " + heldAfter + " (floor " + floor
                    + ", adding " + seq + ") below its ceiling");
                atCeiling++;
            }
            int first = all.size();
            while (first > 0 && all.get(first - 1).seq() > heldAfter) {
                first--;
            }
            assertSame(all.subList(first, all.size()), contents(history), "after push " + i);
            assertTrue(history.capacity() >= base && history.capacity() <= ceiling, "within its ceiling");
            if (history.capacity() > base) {
                grown++;
            }
        }
        assertTrue(grown > 1_000, "the floors made it grow: " + grown);
        assertTrue(atCeiling > 0, "and reach its ceiling: " + atCeiling);
    }

    private static int align(final int n) {
        return (n + 7) & ~7;
    }

    private static List<Push> contents(final PushHistory history) {
        return contentsFrom(history, history.first());
    }

    private static List<Push> contentsFrom(final PushHistory history, final int position) {
        final List<Push> pushes = new ArrayList<>();
        for (int p = position; p >= 0; p = history.next(p)) {
            final byte[] b = new byte[history.length(p)];
            history.buffer().getBytes(history.offset(p), b);
            pushes.add(new Push(history.seq(p), b));
        }
        return pushes;
    }
}
