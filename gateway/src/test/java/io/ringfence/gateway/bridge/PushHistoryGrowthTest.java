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
 * Review of the push history's growth: the grown and shrunk ring against a list model (random bases, ceilings, floors,
 * large pushes; firstFrom both ways; snapshots into a base-sized one), back to the base after a burst at the next event,
 * and the newest of a burst larger than the ceiling kept.
 */
class PushHistoryGrowthTest {
    private record Push(long seq, byte[] bytes) {
    }

    @Test
    void fuzzGrowShrinkFirstFromAndSnapshot() {
        for (int seed = 1; seed <= 4; seed++) { // 40 seeds passed in review (80-360 s); 4 keep the suite short
            fuzz(seed);
        }
    }

    private void fuzz(final int seed) {
        final Random random = new Random(seed);
        final int base = 4096 + 8 * random.nextInt(1024);
        final int ceiling = random.nextInt(4) == 0 ? base : base * (2 + random.nextInt(20)) + 8 * random.nextInt(100);
        final PushHistory history = new PushHistory(base, ceiling, false);
        final List<Push> all = new ArrayList<>();
        long seq = 1;
        history.start(seq);
        long floor = PushHistory.NO_FLOOR;
        for (int i = 0; i < 6_000; i++) {
            if (random.nextInt(random.nextInt(30) == 0 ? 300 : 3) == 0) {
                seq += 1 + random.nextInt(2);
            }
            if (random.nextInt(300) == 0) {
                floor = random.nextBoolean() ? PushHistory.NO_FLOOR
                    : Math.max(1, history.heldAfter() + 1 - random.nextInt(3) + random.nextInt((int) (seq - history.heldAfter()) + 1));
            }
            final int length = random.nextInt(200) == 0 ? base / 2 - 16 - random.nextInt(40) : 8 + random.nextInt(random.nextInt(8) == 0 ? 900 : 120);
            final byte[] bytes = new byte[Math.max(1, length)];
            random.nextBytes(bytes);
            final long heldBefore = history.heldAfter();
            final int capBefore = history.capacity();
            history.add(seq, new UnsafeBuffer(bytes), 0, bytes.length, floor);
            all.add(new Push(seq, bytes));
            final String where = "seed " + seed + " push " + i + " seq " + seq + " length " + bytes.length + " floor " + floor + " base " + base + " ceiling " + ceiling
                + " capacity " + capBefore + "->" + history.capacity() + " heldAfter " + heldBefore + "->" + history.heldAfter();
            final long heldAfter = history.heldAfter();
            assertTrue(heldAfter >= heldBefore, where);
            final List<Push> held = contents(history, history.first());
            // every push after heldAfter; before them at most the newest few of heldAfter itself (a sequence split at the
            // ceiling or by a push too large to keep: said as a gap, as before this commit)
            int first = all.size() - held.size();
            assertTrue(first >= 0, where);
            for (int k = first; k < all.size(); k++) {
                assertTrue(all.get(k).seq() >= heldAfter, where);
            }
            assertTrue(first == 0 || all.get(first - 1).seq() <= heldAfter, where + ": a push after heldAfter missing");
            same(all.subList(first, all.size()), held, where);
            assertEquals(held.size(), history.size(), where);
            assertTrue(history.capacity() >= base && history.capacity() <= Math.max(base, ceiling), where);
            long bytesHeld = 0;
            for (final Push p : held) {
                bytesHeld += (16 + p.bytes().length + 7) & ~7;
            }
            assertTrue(bytesHeld <= history.capacity(), where);
            // firstFrom for every sequence in range (both walks: from the head and back from the newest)
            final long lo = held.isEmpty() ? heldAfter : held.get(0).seq() - 1;
            for (long from = lo; i % 10 == 0 && from <= seq + 1; from++) { // every 10th push: the sweep is the test's cost
                int expected = 0;
                while (expected < held.size() && held.get(expected).seq() < from) {
                    expected++;
                }
                final int start = history.firstFrom(from);
                if (expected == held.size()) {
                    assertEquals(-1, start, where + " from " + from);
                } else {
                    same(held.subList(expected, held.size()), contents(history, start), where + " from " + from);
                }
            }
            // a snapshot of it (grown or not) into a base-sized one: the newest whole sequences, heldAfter right
            if (i % 500 == 499) {
                final StateWriter w = new StateWriter(1 << 16);
                assertTrue(history.stateBytesBound() >= 0);
                history.writeState(w);
                assertTrue(w.position() <= history.stateBytesBound(), where + ": within its bound");
                final PushHistory restored = new PushHistory(base, ceiling, false);
                restored.readState(GatewaySinkCatchUpTest.reader(w));
                final List<Push> kept = contents(restored, restored.first());
                final int f = held.size() - kept.size();
                assertTrue(f >= 0, where + " restored holds more");
                assertTrue(f == 0 || held.get(f - 1).seq() <= restored.heldAfter(), where + " restored lost a push after its heldAfter");
                same(held.subList(f, held.size()), kept, where + " restored");
            }
        }
    }

    /**
     * After one event's burst larger than the base ring, the next event's first push that needs room should bring the
     * ring back to its base (javadoc: "once neither holds, it goes back to its capacity at the next push that needs
     * room"). The newest sequence (the burst) does not fit in the base ring, so shrink() refuses, the burst is dropped
     * from the GROWN ring, and the ring stays grown until steady-state pushes fill all of it again.
     */
    @Test
    void shouldGoBackToItsBaseRingAfterABurstLargerThanItWhenTheNextEventNeedsRoom() {
        final int base = 4096;
        final PushHistory history = new PushHistory(base, 1 << 20, false);
        for (int i = 0; i < 4_369; i++) { // 4,369 x 120 bytes = 524,280: grown to 512 KiB, 8 bytes left
            history.add(2, new UnsafeBuffer(new byte[104]), 0, 104);
        }
        final int grown = history.capacity();
        assertTrue(grown > 256 * 1024, "grown: " + grown);
        int pushesWhileGrown = 0;
        long seq = 3;
        while (history.capacity() > base && pushesWhileGrown < 100_000) {
            history.add(seq++, new UnsafeBuffer(new byte[104]), 0, 104);
            pushesWhileGrown++;
        }
        System.out.println("after a burst to " + grown + " bytes: " + pushesWhileGrown + " later pushes (" + (pushesWhileGrown * 120)
            + " bytes held) before it went back to " + base);
        assertEquals(2, history.heldAfter(), "the burst went at the next event's first push (no room for it)");
        assertTrue(pushesWhileGrown <= 1, "stayed grown at " + grown + " bytes for " + pushesWhileGrown
            + " pushes after the burst though no floor held it");
    }

    /**
     * At the ceiling, one sequence a little larger than it: each time it is full the whole sequence held so far is
     * dropped (dropOldestSequence of the sequence being added), so of 70 pushes (8,400 bytes against 8,192) it keeps 2,
     * where 68 fit. The docs say a burst beyond the ceiling "loses the oldest of it".
     */
    @Test
    void shouldKeepTheNewestOfABurstLargerThanItsCeiling() {
        final PushHistory history = new PushHistory(4096, 8192, false);
        for (int i = 0; i < 70; i++) {
            history.add(2, new UnsafeBuffer(new byte[104]), 0, 104);
        }
        assertEquals(2, history.heldAfter());
        assertTrue(history.size() >= 60, "kept only " + history.size() + " of the 70 pushes of the burst at its 8 KiB ceiling");
    }

    private static void same(final List<Push> expected, final List<Push> actual, final String where) {
        assertEquals(expected.size(), actual.size(), where + ": pushes held");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).seq(), actual.get(i).seq(), where);
            assertArrayEquals(expected.get(i).bytes(), actual.get(i).bytes(), where);
        }
    }

    private static List<Push> contents(final PushHistory history, final int position) {
        final List<Push> pushes = new ArrayList<>();
        for (int p = position; p >= 0; p = history.next(p)) {
            final byte[] b = new byte[history.length(p)];
            history.buffer().getBytes(history.offset(p), b);
            pushes.add(new Push(history.seq(p), b));
        }
        return pushes;
    }
}
