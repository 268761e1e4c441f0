package io.ringfence.engine.fraud;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

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
 *   times (16 bytes a key) and the index still double.</li>
 *   <li>The index (key → slot) is open addressing with linear probing over an {@code int[]} of at
 *   least twice the slot capacity, so at most half full: an entry is the slot number (24 bits,
 *   {@code maxKeys ≤ 2^24}) under a 7-bit tag from the key's top bits, 0 when free. A lookup
 *   compares tags in the index and confirms a match with the slot's key in the key/last-seen
 *   array, the line the caller reads and writes next anyway; so a lookup costs one index line (4
 *   bytes a key: 512 KB for 65,536 keys, against 2 MB of 16-byte entries in a map from key to
 *   slot) and no line of its own beyond that. Deletion shifts entries back (no tombstones),
 *   reading the keys of the entries it moves.</li>
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
    /** Index entries: tag (bits 24-30, bit 31 set) | slot; 0 = free. */
    private int[] index;
    private int indexMask;
    /** Per slot: key, last seen (interleaved: one cache line per lookup); key {@link FraudIds#ABSENT} = free. */
    private long[] keySeen = new long[0];
    private int[] free = new int[0];
    private int freeCount;
    private int capacity;
    private int used;
    private int size;
    private int sweepCursor;
    /**
     * At most every live slot's last-seen time (the least time ever given to a new slot; rebuilt
     * from the slots on restore): while the sweep's bound is not above it, no slot can be idle and
     * the sweep only moves its cursor (the common case until the TTL has passed since the first
     * key; after that every sweep checks its slots, as before). Not state: it decides nothing the
     * slots do not.
     */
    private long oldestSeen = Long.MAX_VALUE;
    private int sampleCursor;
    private long evictedIdle;
    private long evictedFull;

    EntityTable(final String name, final int maxKeys) {
        this.name = name;
        this.maxKeys = maxKeys;
        allocateIndex(Math.min(INITIAL, maxKeys));
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
        final int[] t = index;
        final int m = indexMask;
        final int tag = tag(key);
        int i = (int) key & m;
        int e;
        while ((e = t[i]) != 0) {
            if ((e & TAG_MASK) == tag && keySeen[2 * (e & SLOT_MASK)] == key) {
                return e & SLOT_MASK;
            }
            i = (i + 1) & m;
        }
        return NONE;
    }

    /**
     * The slot of a key last seen at or after {@code before}, or {@link #NONE}: a key idle for longer (last seen before
     * {@code before}) is evicted here, as the sweep would have, so it starts fresh whether or not the sweep reached it
     * yet (fraud audit: with 2 slots swept per event a user idle 75 days still saw his old signup).
     */
    final int findLive(final long key, final long before) {
        final int slot = find(key);
        if (slot != NONE && keySeen[2 * slot + 1] < before) {
            remove(slot);
            free[freeCount++] = slot;
            evictedIdle++;
            return NONE;
        }
        return slot;
    }

    /** The slot of a key, created (cleared) if new, and marked as seen at {@code time} (the later of that and what it had). */
    final int acquire(final long key, final long time) {
        return acquire(find(key), key, time);
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
        if (time < oldestSeen) {
            oldestSeen = time;
        }
        indexPut(key, slot);
        clear(slot);
        size++;
        return slot;
    }

    /** Checks the next {@code perEvent} slots of the sweep and evicts those last seen before {@code before}. */
    final void evictIdle(final long before, final int perEvent) {
        if (used == 0) {
            return;
        }
        if (before <= oldestSeen) {
            // nothing idle: the cursor moves as the checks below would have moved it
            for (int i = 0; i < perEvent; i++) {
                sweepCursor = sweepCursor + 1 == used ? 0 : sweepCursor + 1;
            }
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
            if (2L * next > index.length) {
                allocateIndex(next);
                for (int s = 0; s < used; s++) { // every slot below used is live here (none free)
                    indexPut(keySeen[2 * s], s);
                }
            }
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
        indexRemove(keySeen[2 * slot], slot);
        keySeen[2 * slot] = FraudIds.ABSENT;
        size--;
    }

    private static final int SLOT_MASK = 0x00FF_FFFF;
    private static final int TAG_MASK = 0xFF00_0000;

    /** The index tag of a key: its top 7 bits under a set bit 31, so never 0. */
    private static int tag(final long key) {
        return (int) (key >>> 57) << 24 | 0x8000_0000;
    }

    /** A new, empty index for up to {@code slots} slots (at most half full). */
    private void allocateIndex(final int slots) {
        int length = 16;
        while (length < 2 * slots) {
            length <<= 1;
        }
        index = new int[length];
        indexMask = length - 1;
    }

    /** Adds a key that is not in the index. */
    private void indexPut(final long key, final int slot) {
        final int[] t = index;
        final int m = indexMask;
        int i = (int) key & m;
        while (t[i] != 0) {
            i = (i + 1) & m;
        }
        t[i] = tag(key) | slot;
    }

    /** Removes the entry of {@code key} at {@code slot} (which must be there), shifting later entries back. */
    private void indexRemove(final long key, final int slot) {
        final int[] t = index;
        final int m = indexMask;
        int hole = (int) key & m;
        while ((t[hole] & SLOT_MASK) != slot || t[hole] == 0) {
            hole = (hole + 1) & m;
        }
        int j = (hole + 1) & m;
        int e;
        while ((e = t[j]) != 0) {
            final int home = (int) keySeen[2 * (e & SLOT_MASK)] & m;
            if (((j - home) & m) >= ((j - hole) & m)) {
                t[hole] = e;
                hole = j;
            }
            j = (j + 1) & m;
        }
        t[hole] = 0;
    }

    final String name() {
        return name;
    }

    final int size() {
        return size;
    }

    /** The key held in a slot ({@link FraudIds#ABSENT} when free). */
    final long key(final int slot) {
        return keySeen[2 * slot];
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
        // what decides the next slot taken and the next key evicted, and the counters the summary shows
        h = ((h * 31 + used) * 31 + sweepCursor) * 31 + sampleCursor;
        h = (h * 31 + evictedIdle) * 31 + evictedFull;
        for (int i = 0; i < freeCount; i++) {
            h = h * 31 + free[i];
        }
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
        allocateIndex(Math.max(cap, Math.min(INITIAL, maxKeys)));
        int counted = 0;
        final VelocityBuckets b = blocks();
        int s = 0;
        while (s < used) {
            while (s < used && keySeen[2 * s] == FraudIds.ABSENT) {
                s++;
            }
            final int run = s;
            while (s < used && keySeen[2 * s] != FraudIds.ABSENT) {
                indexPut(keySeen[2 * s], s);
                counted++;
                s++;
            }
            if (s > run) {
                b.read(run, s - run, r);
            }
        }
        oldestSeen = Long.MAX_VALUE;
        for (int slot = 0; slot < used; slot++) {
            if (keySeen[2 * slot] != FraudIds.ABSENT && keySeen[2 * slot + 1] < oldestSeen) {
                oldestSeen = keySeen[2 * slot + 1];
            }
        }
        if (counted != size) {
            throw new SnapshotFormatException(name + ": " + counted + " live keys, but the table says " + size);
        }
    }
}
