package io.ringfence.engine.commerce;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Key (a 64-bit id hash) → slot in the owner's parallel arrays, bounded at {@code max} keys.
 * Slot capacity starts small and doubles up to {@code max}, so memory follows the working set;
 * freed slots are reused last-freed-first, an order that depends on the event history alone
 * (snapshotted with the rest), never on hash layout.
 */
final class Slots {
    static final int NONE = -1;
    private static final int INITIAL = 256;

    private final int max;
    private final Long2LongHashMap index;
    private long[] keys = new long[0];
    private int[] free = new int[0];
    private int freeCount;
    private int used;
    private int size;

    Slots(final int max) {
        this.max = max;
        this.index = new Long2LongHashMap(Math.min(INITIAL, max) * 2, 0.5f, NONE);
    }

    int find(final long key) {
        return (int) index.get(key);
    }

    /** A slot for a new key, or {@link #NONE} when {@code max} keys are held. Grow the owner's arrays to {@link #capacity()} after. */
    int add(final long key) {
        final int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else if (used < max) {
            if (used == keys.length) {
                final int capacity = (int) Math.min(max, Math.max(INITIAL, 2L * keys.length));
                keys = Arrays.copyOf(keys, capacity);
                free = Arrays.copyOf(free, capacity);
            }
            slot = used++;
        } else {
            return NONE;
        }
        keys[slot] = key;
        index.put(key, slot);
        size++;
        return slot;
    }

    void remove(final int slot) {
        index.remove(keys[slot]);
        keys[slot] = 0;
        free[freeCount++] = slot;
        size--;
    }

    long key(final int slot) {
        return keys[slot];
    }

    boolean live(final int slot) {
        return index.get(keys[slot]) == slot;
    }

    int capacity() {
        return keys.length;
    }

    /** Slots ever handed out: live slots are below this. */
    int used() {
        return used;
    }

    int size() {
        return size;
    }

    long hash(long h) {
        h = h * 31 + used;
        h = h * 31 + size;
        for (int i = 0; i < freeCount; i++) {
            h = h * 31 + free[i];
        }
        for (int i = 0; i < used; i++) {
            h = h * 0x9e3779b97f4a7c15L + keys[i];
        }
        return h;
    }

    /** Bytes {@link #write} writes now. */
    long stateBytesBound() {
        return 8L + 4L * freeCount + 8L * used;
    }

    void write(final StateWriter w) {
        w.putInt(used).putInt(freeCount).putInts(free, 0, freeCount).putLongs(keys, 0, used);
    }

    /** Restores the slots; the owner then grows its arrays to {@link #capacity()} and reads them. */
    void read(final StateReader r, final String what) {
        final int u = r.getInt(what + " slots", 0, max);
        final int f = r.getInt(what + " free slots", 0, u);
        final int capacity = Math.max(u, Math.min(max, INITIAL));
        keys = new long[capacity];
        free = new int[capacity];
        r.getInts(free, 0, f);
        r.getLongs(keys, 0, u);
        used = u;
        freeCount = f;
        index.clear();
        final boolean[] isFree = new boolean[u];
        for (int i = 0; i < f; i++) {
            if (free[i] < 0 || free[i] >= u || isFree[free[i]]) {
                throw new SnapshotFormatException(what + " free slot " + free[i] + " is out of range or repeated");
            }
            isFree[free[i]] = true;
        }
        for (int i = 0; i < u; i++) {
            if (!isFree[i] && index.put(keys[i], i) != NONE) {
                throw new SnapshotFormatException(what + " key held twice at slot " + i);
            }
        }
        size = u - f;
    }
}
