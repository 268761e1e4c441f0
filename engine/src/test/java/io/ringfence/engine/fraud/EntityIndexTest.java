package io.ringfence.engine.fraud;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key → slot index of {@link EntityTable} (tagged slot numbers, linear probing, backward-shift
 * deletion) under keys built to collide: a few home positions and two tags for all of them, so
 * probe chains are long, tags match other keys all the time, and every removal shifts entries.
 * After each step, every key of the pool is found exactly at the slot holding it, or not at all,
 * and the keys found are all the table holds.
 */
class EntityIndexTest {
    private static final int POOL = 2_000;

    /** Low bits (home position): one of 8; top 7 bits (tag): one of 2; unique in between; never 0. */
    private static long key(final int i) {
        return ((long) (i % 2) << 57) | ((long) (i + 1) << 16) | (i % 8);
    }

    private static void assertIndexMatchesSlots(final EntityTable table, final String when) {
        int found = 0;
        for (int i = 0; i < POOL; i++) {
            final int s = table.find(key(i));
            if (s != EntityTable.NONE) {
                assertEquals(key(i), table.key(s), when + ": key " + i + " found at a slot holding another key");
                found++;
            }
        }
        assertEquals(table.size(), found, when + ": every live key is found");
    }

    @Test
    void shouldFindEveryLiveKeyAndNoOtherThroughGrowthReplacementAndIdleEviction() {
        final SplittableRandom random = new SplittableRandom(11);
        final InstrumentTable table = new InstrumentTable(1_200); // grows 1,024 -> 1,200, then replaces
        long t = 0;
        for (int step = 0; step < 20_000; step++) {
            t += random.nextInt(1_000);
            // phases: every key in turn (the table fills and replaces), then a few (the rest go idle)
            final boolean all = step / 2_000 % 2 == 0;
            final long k = key(random.nextInt(all ? POOL : 100));
            final int slot = table.acquire(k, t);
            assertEquals(k, table.key(slot));
            table.evictIdle(t - (all ? 3_000_000 : 200_000), 3);
            if (step % 500 == 0) {
                assertIndexMatchesSlots(table, "step " + step);
            }
        }
        assertTrue(table.evictedFull() > 200 && table.evictedIdle() > 200,
            "both kinds of removal happened: " + table.evictedFull() + " full, " + table.evictedIdle() + " idle");
        assertIndexMatchesSlots(table, "end");
    }

    @Test
    void shouldRebuildTheIndexFromASnapshot() {
        final InstrumentTable table = new InstrumentTable(4_096);
        for (int i = 0; i < POOL; i++) {
            table.acquire(key(i), i);
        }
        table.evictIdle(POOL / 2, POOL); // frees the first half of the slots, from the middle of probe chains
        final StateWriter w = new StateWriter(1 << 20);
        table.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final InstrumentTable restored = new InstrumentTable(4_096);
        restored.readState(new StateReader(bytes.slice()));
        assertEquals(table.size(), restored.size());
        assertIndexMatchesSlots(restored, "restored");
        for (int i = 0; i < POOL; i++) {
            assertEquals(table.find(key(i)), restored.find(key(i)), "key " + i);
        }
    }
}
