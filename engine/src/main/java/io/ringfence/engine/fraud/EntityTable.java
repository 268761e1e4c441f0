package io.ringfence.engine.fraud;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The live keys of one entity kind (users, devices, IPs or instruments): key hash → slot, the
 * slot's last-seen event time, and a recency list. Subclasses keep their per-key state in
 * primitive arrays indexed by slot and say how to {@link #grow} and {@link #clear} them.
 *
 * <p>Bounded and deterministic:
 * <ul>
 *   <li>At most {@code maxKeys} keys. The slot arrays start at up to 1,024 keys and double when
 *   full, up to {@code maxKeys}, so memory follows the working set (and a small working set stays
 *   in cache); allocation happens only when the number of live keys reaches a new high. The index
 *   map (Agrona, open addressing) grows the same way.</li>
 *   <li>Keys idle for longer than the TTL in event time (last seen before the newest event time
 *   minus the TTL) are evicted, oldest first, a few per event ({@link #evictIdle}).</li>
 *   <li>A new key when the table is full replaces the least recently touched key (counted as
 *   {@link #evictedFull()}): recent behaviour matters more to fraud features than old keys.</li>
 *   <li>The recency list is the only order ever walked (state hash); it depends on the event
 *   sequence alone, never on hash layout or identity.</li>
 * </ul>
 */
abstract class EntityTable {
    static final int NONE = -1;
    private static final int INITIAL = 1_024;

    private final String name;
    private final int maxKeys;
    private final Long2LongHashMap index;
    /** Per slot: key hash, last seen (interleaved: one cache line per lookup). */
    private long[] keySeen = new long[0];
    /** Recency list per slot: newer, older neighbour (head = most recently touched). */
    private int[] links = new int[0];
    private int[] free = new int[0];
    private int freeCount;
    private int capacity;
    private int used;
    private int head = NONE;
    private int tail = NONE;
    private int size;
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

    /** The slot of a key, or {@link #NONE}; changes nothing. */
    final int find(final long key) {
        return (int) index.get(key);
    }

    /**
     * The slot of a key, created (cleared) if new, and marked as seen at {@code time} (the later of
     * that and what it had) and most recently used.
     */
    final int acquire(final long key, final long time) {
        return acquire((int) index.get(key), key, time);
    }

    /**
     * Same as {@link #acquire(long, long)} for a key whose slot was just looked up with
     * {@link #find} (no table change since): saves the second lookup.
     */
    final int acquire(final int found, final long key, final long time) {
        int slot = found;
        if (slot == NONE) {
            slot = newSlot();
            keySeen[2 * slot] = key;
            keySeen[2 * slot + 1] = time;
            index.put(key, slot);
            clear(slot);
            pushHead(slot);
            size++;
            return slot;
        }
        if (time > keySeen[2 * slot + 1]) {
            keySeen[2 * slot + 1] = time;
        }
        if (slot != head) {
            unlink(slot);
            pushHead(slot);
        }
        return slot;
    }

    /** Evicts up to {@code max} least recently used keys last seen before {@code before}. */
    final void evictIdle(final long before, final int max) {
        for (int i = 0; i < max && tail != NONE && keySeen[2 * tail + 1] < before; i++) {
            final int slot = tail;
            remove(slot);
            free[freeCount++] = slot;
            evictedIdle++;
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
            links = Arrays.copyOf(links, 2 * next);
            free = Arrays.copyOf(free, next);
            grow(next);
            capacity = next;
            return used++;
        }
        final int victim = tail;
        remove(victim);
        evictedFull++;
        return victim;
    }

    private void remove(final int slot) {
        unlink(slot);
        index.remove(keySeen[2 * slot]);
        size--;
    }

    private void pushHead(final int slot) {
        links[2 * slot] = NONE;
        links[2 * slot + 1] = head;
        if (head != NONE) {
            links[2 * head] = slot;
        }
        head = slot;
        if (tail == NONE) {
            tail = slot;
        }
    }

    private void unlink(final int slot) {
        final int n = links[2 * slot];
        final int o = links[2 * slot + 1];
        if (n != NONE) {
            links[2 * n + 1] = o;
        } else {
            head = o;
        }
        if (o != NONE) {
            links[2 * o] = n;
        } else {
            tail = n;
        }
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

    /** Hash of every live key and its state, most recent first. */
    final long stateHash() {
        long h = size;
        for (int s = head; s != NONE; s = links[2 * s + 1]) {
            h = h * 31 + keySeen[2 * s];
            h = h * 31 + keySeen[2 * s + 1];
            h = hashSlot(s, h);
        }
        return h;
    }
}
