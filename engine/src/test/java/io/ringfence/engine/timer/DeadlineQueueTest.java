package io.ringfence.engine.timer;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineQueueTest {

    @Test
    void shouldPopDueEntriesByDeadlineThenKey() {
        final DeadlineQueue q = new DeadlineQueue(8);
        q.schedule(5, 100);
        q.schedule(3, 100);
        q.schedule(9, 50);
        q.schedule(-2, 200);
        final List<long[]> due = new ArrayList<>();
        assertEquals(3, q.drainDue(100, (k, d) -> due.add(new long[] {k, d})));
        assertEquals(List.of("9@50", "3@100", "5@100"), due.stream().map(e -> e[0] + "@" + e[1]).toList());
        assertFalse(q.hasDue(199));
        assertTrue(q.hasDue(200));
        assertEquals(-2, q.poll());
        assertEquals(0, q.size());
        assertEquals(DeadlineQueue.NO_DEADLINE, q.peekDeadline());
        assertThrows(IllegalStateException.class, q::poll);
    }

    @Test
    void shouldRescheduleAndCancelKeys() {
        final DeadlineQueue q = new DeadlineQueue(4);
        q.schedule(1, 10);
        q.schedule(2, 20);
        q.schedule(1, 30); // later
        assertEquals(2, q.peekKey());
        q.schedule(1, 5); // earlier again
        assertEquals(1, q.peekKey());
        assertEquals(5, q.deadlineOf(1));
        assertTrue(q.cancel(1));
        assertFalse(q.cancel(1));
        assertEquals(DeadlineQueue.NO_DEADLINE, q.deadlineOf(1));
        assertFalse(q.contains(1));
        assertEquals(2, q.poll());
    }

    @Test
    void shouldRefuseAndCountNewKeysWhenFullButStillReschedule() {
        final DeadlineQueue q = new DeadlineQueue(2);
        assertTrue(q.schedule(1, 10));
        assertTrue(q.schedule(2, 20));
        assertFalse(q.schedule(3, 5));
        assertFalse(q.schedule(4, 5));
        assertEquals(2, q.drops());
        assertTrue(q.schedule(2, 1), "a held key can always move");
        assertEquals(2, q.peekKey());
        assertFalse(q.contains(3));
    }

    @Test
    void shouldLetTheHandlerScheduleAgainAfterNow() {
        final DeadlineQueue q = new DeadlineQueue(4);
        q.schedule(7, 10);
        final int[] calls = {0};
        final int n = q.drainDue(15, (k, d) -> {
            calls[0]++;
            q.schedule(k, d + 10);
        });
        assertEquals(1, n);
        assertEquals(1, calls[0]);
        assertEquals(20, q.deadlineOf(7));
    }

    @Test
    void shouldRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new DeadlineQueue(0));
        final DeadlineQueue q = new DeadlineQueue(1);
        assertThrows(IllegalArgumentException.class, () -> q.schedule(1, DeadlineQueue.NO_DEADLINE));
    }

    /** Random schedule / cancel / drain against a TreeSet model: same pops in the same order. */
    @Test
    void shouldMatchAnOrderedSetModel() {
        final Random random = new Random(42);
        final DeadlineQueue q = new DeadlineQueue(300);
        final TreeMap<Long, Long> deadlineOf = new TreeMap<>();
        final TreeSet<long[]> model = new TreeSet<>((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
        long now = 0;
        for (int i = 0; i < 50_000; i++) {
            final long key = random.nextInt(400) - 50;
            final int op = random.nextInt(10);
            if (op < 6) {
                final long deadline = now + random.nextInt(1_000);
                final boolean held = deadlineOf.containsKey(key);
                final boolean accepted = q.schedule(key, deadline);
                assertEquals(held || deadlineOf.size() < 300, accepted);
                if (accepted) {
                    if (held) {
                        model.remove(new long[] {key, deadlineOf.get(key)});
                    }
                    deadlineOf.put(key, deadline);
                    model.add(new long[] {key, deadline});
                }
            } else if (op < 8) {
                final Long old = deadlineOf.remove(key);
                assertEquals(old != null, q.cancel(key));
                if (old != null) {
                    model.remove(new long[] {key, old});
                }
            } else {
                now += random.nextInt(200);
                final long until = now;
                q.drainDue(until, (k, d) -> {
                    final long[] head = model.pollFirst();
                    assertEquals(head[0], k);
                    assertEquals(head[1], d);
                    deadlineOf.remove(k);
                });
                assertTrue(model.isEmpty() || model.first()[1] > until);
            }
            assertEquals(model.size(), q.size());
        }
    }

    /** A queue by slot pops, hashes and snapshots exactly as a keyed queue given the same calls. */
    @Test
    void shouldBehaveAsTheKeyedQueueWhenEntriesAreNamedBySlot() {
        final Random random = new Random(11);
        final DeadlineQueue keyed = new DeadlineQueue(64);
        final DeadlineQueue bySlot = DeadlineQueue.forSlots(64);
        final long[] keyOfSlot = new long[64];
        for (int s = 0; s < 64; s++) {
            keyOfSlot[s] = 1_000 - 7L * s; // keys not in slot order, so ties are broken by key, not slot
        }
        final List<String> keyedPops = new ArrayList<>();
        final List<String> slotPops = new ArrayList<>();
        long now = 0;
        int polls = 0;
        for (int i = 0; i < 20_000; i++) {
            final int slot = random.nextInt(64);
            final int op = random.nextInt(10);
            if (op < 6) {
                final long deadline = now + random.nextInt(300);
                assertTrue(keyed.schedule(keyOfSlot[slot], deadline));
                bySlot.scheduleSlot(slot, keyOfSlot[slot], deadline);
            } else if (op < 8) {
                assertEquals(keyed.cancel(keyOfSlot[slot]), bySlot.cancelSlot(slot));
            } else if (op == 8) {
                // the earliest entry, due or not (how a full owner makes room)
                final long expected = keyed.size() == 0 ? -1 : keyed.peekKey();
                final long expectedDeadline = keyed.peekDeadline();
                if (keyed.size() > 0) {
                    keyed.poll();
                }
                final long[] got = {-1, 0};
                assertEquals(expected != -1, bySlot.pollSlot((s, k, d) -> {
                    assertEquals(keyOfSlot[s], k, "the slot handed back holds the key");
                    got[0] = k;
                    got[1] = d;
                }));
                assertEquals(expected, got[0]);
                if (expected != -1) {
                    assertEquals(expectedDeadline, got[1]);
                    polls++;
                }
            } else {
                now += random.nextInt(100);
                keyed.drainDue(now, (k, d) -> keyedPops.add(k + "@" + d));
                bySlot.drainDueSlots(now, (s, k, d) -> {
                    assertEquals(keyOfSlot[s], k, "the slot handed back holds the key");
                    slotPops.add(k + "@" + d);
                });
            }
            assertEquals(keyed.deadlineOf(keyOfSlot[slot]), bySlot.deadlineOfSlot(slot));
            assertEquals(keyed.stateHash(), bySlot.stateHash());
        }
        assertTrue(keyedPops.size() > 1_000);
        assertTrue(polls > 1_000, "earliest entries polled: " + polls);
        assertEquals(keyedPops, slotPops);

        final StateWriter a = new StateWriter(256);
        keyed.writeState(a);
        final StateWriter b = new StateWriter(256);
        bySlot.writeState(b);
        assertEquals(toList(a), toList(b), "same snapshot bytes");
        final DeadlineQueue restored = DeadlineQueue.forSlots(64);
        restored.readState(reader(b), key -> (int) ((1_000 - key) / 7));
        assertEquals(bySlot.stateHash(), restored.stateHash());
        for (int s = 0; s < 64; s++) {
            assertEquals(bySlot.deadlineOfSlot(s), restored.deadlineOfSlot(s));
        }
        while (bySlot.size() > 0) {
            assertEquals(bySlot.poll(), restored.poll());
        }
    }

    @Test
    void shouldRefuseMixedUseAndUnknownSlotsOfAQueueBySlot() {
        final DeadlineQueue bySlot = DeadlineQueue.forSlots(4);
        assertThrows(IllegalStateException.class, () -> bySlot.schedule(1, 10));
        assertThrows(IllegalArgumentException.class, () -> bySlot.scheduleSlot(4, 1, 10));
        bySlot.scheduleSlot(2, 42, 10);
        assertThrows(IllegalStateException.class, () -> bySlot.scheduleSlot(2, 43, 10), "slot 2 holds key 42");
        assertThrows(IllegalStateException.class, () -> new DeadlineQueue(4).scheduleSlot(0, 1, 10));
        final StateWriter w = new StateWriter(64);
        bySlot.writeState(w);
        assertThrows(SnapshotFormatException.class, () -> DeadlineQueue.forSlots(4).readState(reader(w), key -> -1));
        assertThrows(IllegalStateException.class, () -> DeadlineQueue.forSlots(4).readState(reader(w)));
    }

    private static List<Byte> toList(final StateWriter w) {
        final List<Byte> bytes = new ArrayList<>();
        for (int i = 0; i < w.position(); i++) {
            bytes.add(w.buffer().getByte(i));
        }
        return bytes;
    }

    @Test
    void shouldRestoreFromASnapshotAndContinueIdentically() {
        final DeadlineQueue a = new DeadlineQueue(64);
        final Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            a.schedule(random.nextInt(100), random.nextInt(10_000));
        }
        final StateWriter w = new StateWriter(256);
        a.writeState(w);
        final DeadlineQueue b = new DeadlineQueue(64);
        b.readState(reader(w));
        assertEquals(a.stateHash(), b.stateHash());
        assertEquals(a.size(), b.size());
        assertEquals(a.drops(), b.drops());
        for (int i = 0; i < 100; i++) {
            final long key = random.nextInt(100);
            final long deadline = random.nextInt(10_000);
            a.schedule(key, deadline);
            b.schedule(key, deadline);
        }
        while (a.size() > 0) {
            assertEquals(a.peekDeadline(), b.peekDeadline());
            assertEquals(a.poll(), b.poll());
        }
        assertEquals(0, b.size());
        assertEquals(a.stateHash(), b.stateHash());
    }

    @Test
    void shouldHashDifferentContentDifferently() {
        final DeadlineQueue a = new DeadlineQueue(4);
        final DeadlineQueue b = new DeadlineQueue(4);
        a.schedule(1, 10);
        b.schedule(1, 11);
        assertNotEquals(a.stateHash(), b.stateHash());
    }

    @Test
    void shouldRejectASnapshotLargerThanCapacityOrOutOfOrder() {
        final DeadlineQueue big = new DeadlineQueue(8);
        for (int i = 0; i < 5; i++) {
            big.schedule(i, 100 - i);
        }
        final StateWriter w = new StateWriter(256);
        big.writeState(w);
        assertThrows(SnapshotFormatException.class, () -> new DeadlineQueue(4).readState(reader(w)));

        final StateWriter bad = new StateWriter(64);
        bad.putInt(0x444c4e51).putInt(2).putLong(0).putLong(1).putLong(2).putLong(50).putLong(10);
        assertThrows(SnapshotFormatException.class, () -> new DeadlineQueue(4).readState(reader(bad)));
    }

    @Test
    void shouldNotAllocateInSteadyState() {
        final DeadlineQueue q = new DeadlineQueue(4_096);
        final DeadlineHandler reschedule = new DeadlineHandler() {
            @Override
            public void onDeadline(final long key, final long deadline) {
                q.schedule(key, deadline + 1_000 + (key & 255));
            }
        };
        long now = run(q, reschedule, 0, 200_000);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        now = run(q, reschedule, now, 1_000_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(now > 0);
        assertTrue(allocated < 1_024, "bytes allocated by 1M operations: " + allocated);
    }

    private static long run(final DeadlineQueue q, final DeadlineHandler handler, long now, final int ops) {
        long x = 12345;
        for (int i = 0; i < ops; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            final long key = (x >>> 40) & 4_095;
            if ((i & 7) == 0) {
                q.cancel(key);
            } else {
                q.schedule(key, now + ((x >>> 20) & 2_047));
            }
            now++;
            q.drainDue(now, handler);
        }
        return now;
    }

    private static StateReader reader(final StateWriter w) {
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        return new StateReader(bytes);
    }
}
