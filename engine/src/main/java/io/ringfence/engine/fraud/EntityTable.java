package io.ringfence.engine.fraud;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The live keys of one entity kind (users, devices, IPs or instruments): key → slot, and the
 * slot's key and last-seen event time (a compact array of their own, which the idle sweep walks).
 * Subclasses keep the rest of a key's state in one block per slot (their {@link VelocityBuckets}
 * array) and say how to {@link #grow} and {@link #clear} it.
 *
 * <p>Bounded and deterministic:
 * <ul>
 *   <li>At most {@code maxKeys} keys. The slot arrays start at up to 1,024 keys and double when
 *   full, up to {@code maxKeys}, so memory follows the working set (and a small working set stays
 *   in cache); allocation happens only when the number of live keys reaches a new high. The
 *   per-key blocks, nearly all of the memory, are paged ({@link VelocityBuckets}): growing adds a
 *   page of 1,024 keys when the first of them arrives and never copies. The keys and last-seen
 *   times (16 bytes a key) and the index map (Agrona, open addressing) still double.</li>
 *   <li>Idle keys (last seen before the newest event time minus the TTL) are found by a sweep
 *   that checks a few slots per event ({@link #evictIdle}), so every slot is checked once per
 *   {@code capacity / perEvent} events and eviction costs a bounded amount per event.</li>
 *   <li>A new key when the table is full replaces the least recently seen of {@value #SAMPLE}
 *   slots from a rotating cursor (approximate LRU, as Redis does; counted as
 *   {@link #evictedFull()}): recent behaviour matters more to fraud features than old keys, and
 *   no recency list has to be kept up to date on every event (that cost a cache miss per
 *   neighbour per event).</li>
 *   <li>Slots are assigned and reused in an order that depends on the event sequence alone; the
 *   slot order is the only order ever walked (state hash), never hash layout or identity.</li>
 * </ul>
 */
abstract class EntityTable {
    static final int NONE = -1;
    private static final int INITIAL = 1_024;
    /** Slots compared when a full table needs room. */
    static final int SAMPLE = 16;

    private final String name;
    private final int maxKeys;
    private final Long2LongHashMap index;
    /** Per slot: key, last seen (interleaved: one cache line per lookup); key {@link FraudIds#ABSENT} = free. */
    private long[] keySeen = new long[0];
    private int[] free = new int[0];
    private int freeCount;
    private int capacity;
    private int used;
    private int size;
    private int sweepCursor;
    private int sampleCursor;
    private long evictedIdle;
    private long evictedFull;

    EntityTable(final String name, final int maxKeys) {
        this.name = name;
        this.maxKeys = maxKeys;
        this.index = new Long2LongHashMap(Math.min(INITIAL, maxKeys) * 2, 0.6f, NONE);
    }

    /** Grow every per-slot array to {@code newCapacity} slots (copying). */
    abstract void grow(int newCapacity);

    /** Reset a slot's state for a new key. */
    abstract void clear(int slot);

    /** Fold a slot's state into a hash. */
    abstract long hashSlot(int slot, long h);

    /** The per-slot blocks of the subclass (snapshots copy the live slots' blocks). */
    abstract VelocityBuckets blocks();

    /** The slot of a key, or {@link #NONE}; changes nothing. */
    final int find(final long key) {
        return (int) index.get(key);
    }

    /** The slot of a key, created (cleared) if new, and marked as seen at {@code time} (the later of that and what it had). */
    final int acquire(final long key, final long time) {
        return acquire((int) index.get(key), key, time);
    }

    /**
     * Same as {@link #acquire(long, long)} for a key whose slot was just looked up with
     * {@link #find} (no table change since): saves the second lookup.
     */
    final int acquire(final int found, final long key, final long time) {
        if (found != NONE) {
            if (time > keySeen[2 * found + 1]) {
                keySeen[2 * found + 1] = time;
            }
            return found;
        }
        final int slot = newSlot();
        keySeen[2 * slot] = key;
        keySeen[2 * slot + 1] = time;
        index.put(key, slot);
        clear(slot);
        size++;
        return slot;
    }

    /** Checks the next {@code perEvent} slots of the sweep and evicts those last seen before {@code before}. */
    final void evictIdle(final long before, final int perEvent) {
        if (used == 0) {
            return;
        }
        for (int i = 0; i < perEvent; i++) {
            final int slot = sweepCursor;
            sweepCursor = sweepCursor + 1 == used ? 0 : sweepCursor + 1;
            if (keySeen[2 * slot] != FraudIds.ABSENT && keySeen[2 * slot + 1] < before) {
                remove(slot);
                free[freeCount++] = slot;
                evictedIdle++;
            }
        }
    }

    private int newSlot() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (used < capacity) {
            return used++;
        }
        if (capacity < maxKeys) {
            final int next = (int) Math.min(maxKeys, Math.max(INITIAL, (long) capacity * 2));
            keySeen = Arrays.copyOf(keySeen, 2 * next);
            free = Arrays.copyOf(free, next);
            grow(next);
            capacity = next;
            return used++;
        }
        int victim = sampleCursor;
        for (int i = 0; i < SAMPLE && i < capacity; i++) {
            final int s = sampleCursor;
            sampleCursor = sampleCursor + 1 == capacity ? 0 : sampleCursor + 1;
            if (keySeen[2 * s + 1] < keySeen[2 * victim + 1]) {
                victim = s;
            }
        }
        remove(victim);
        evictedFull++;
        return victim;
    }

    private void remove(final int slot) {
        index.remove(keySeen[2 * slot]);
        keySeen[2 * slot] = FraudIds.ABSENT;
        size--;
    }

    final String name() {
        return name;
    }

    final int size() {
        return size;
    }

    final long lastSeen(final int slot) {
        return keySeen[2 * slot + 1];
    }

    final long evictedIdle() {
        return evictedIdle;
    }

    final long evictedFull() {
        return evictedFull;
    }

    /**
     * Bytes {@link #writeState} writes now (exact, from the counters: the live slots' blocks are
     * written whole, a free slot's not).
     */
    final long stateBytesBound() {
        return 4 + 3L * name.length() + 6 * 4 + 2 * 8 + 4L * freeCount + 16L * used + 8L * blocks().stride() * size;
    }

    /** Hash of every live key and its state, in slot order. */
    final long stateHash() {
        long h = size;
        for (int s = 0; s < used; s++) {
            if (keySeen[2 * s] != FraudIds.ABSENT) {
                h = h * 31 + s;
                h = h * 31 + keySeen[2 * s];
                h = h * 31 + keySeen[2 * s + 1];
                h = hashSlot(s, h);
            }
        }
        return h;
    }

    /**
     * Writes the table for a snapshot: counters, cursors and free list (they decide which slot a
     * new key takes), every slot's key and last-seen time, and the blocks of the live slots (a
     * free slot's block is cleared before reuse, so it is not needed). The index map is not
     * written: {@link #readState} rebuilds it from the keys.
     */
    final void writeState(final StateWriter w) {
        w.putText(name).putInt(capacity).putInt(used).putInt(size).putInt(freeCount)
                .putInt(sweepCursor).putInt(sampleCursor).putLong(evictedIdle).putLong(evictedFull);
        w.putInts(free, 0, freeCount);
        w.putLongs(keySeen, 0, 2 * used);
        final VelocityBuckets b = blocks();
        int s = 0;
        while (s < used) {
            while (s < used && keySeen[2 * s] == FraudIds.ABSENT) {
                s++;
            }
            final int run = s;
            while (s < used && keySeen[2 * s] != FraudIds.ABSENT) {
                s++;
            }
            if (s > run) {
                b.write(run, s - run, w);
            }
        }
    }

    /** Restores what {@link #writeState} wrote into this table, which must be new (no key yet). */
    final void readState(final StateReader r) {
        if (capacity != 0) {
            throw new IllegalStateException(name + ": a snapshot is read into a new table only");
        }
        final String written = r.getText();
        if (!written.equals(name)) {
            throw new SnapshotFormatException("expected the " + name + " table, found " + written);
        }
        final int cap = r.getInt(name + " capacity", 0, maxKeys);
        final int usedSlots = r.getInt(name + " used slots", 0, cap);
        final int live = r.getInt(name + " size", 0, usedSlots);
        final int freed = r.getInt(name + " free slots", 0, usedSlots);
        final int sweep = r.getInt(name + " sweep cursor", 0, Math.max(0, usedSlots - 1));
        final int sample = r.getInt(name + " sample cursor", 0, Math.max(0, cap - 1));
        evictedIdle = r.getLong();
        evictedFull = r.getLong();
        keySeen = new long[2 * cap];
        free = new int[cap];
        if (cap > 0) {
            grow(cap);
        }
        capacity = cap;
        used = usedSlots;
        size = live;
        freeCount = freed;
        sweepCursor = sweep;
        sampleCursor = sample;
        r.getInts(free, 0, freed);
        r.getLongs(keySeen, 0, 2 * usedSlots);
        index.clear();
        int counted = 0;
        final VelocityBuckets b = blocks();
        int s = 0;
        while (s < used) {
            while (s < used && keySeen[2 * s] == FraudIds.ABSENT) {
                s++;
            }
            final int run = s;
            while (s < used && keySeen[2 * s] != FraudIds.ABSENT) {
                index.put(keySeen[2 * s], s);
                counted++;
                s++;
            }
            if (s > run) {
                b.read(run, s - run, r);
            }
        }
        if (counted != size) {
            throw new SnapshotFormatException(name + ": " + counted + " live keys, but the table says " + size);
        }
    }
}
