package io.ringfence.engine.commerce;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Key (a 64-bit id hash) → slot in the owner's pages, bounded at {@code max} keys. Freed slots
 * are reused last-freed-first, an order that depends on the event history alone (snapshotted
 * with the rest), never on hash layout.
 *
 * <p>Nothing here grows on the engine thread: the index map (load factor 0.5), the keys and the
 * free list are sized for {@code max} keys up front (44-76 bytes a key: 5.2 MB at 100,000;
 * rehashing a 65,536-key index took 2-9 ms). The owners keep the bulk of a key's state in
 * pages of {@value #PAGE_SLOTS} slots ({@code page(slot)}, {@code at(slot)}), allocated when a
 * page's first slot is handed out and never copied, so memory follows the working set without
 * the doubling copies that paused the order book for 4.5-21 ms when it grew past 65,536 orders.
 */
final class Slots {
    static final int NONE = -1;
    /** log2 of the slots per owner page. */
    static final int PAGE_SHIFT = 10;
    static final int PAGE_SLOTS = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SLOTS - 1;

    private final int max;
    private final Long2LongHashMap index;
    private final long[] keys;
    private final int[] free;
    private int freeCount;
    private int used;
    private int size;

    Slots(final int max) {
        this.max = max;
        this.index = new Long2LongHashMap(max * 2, 0.5f, NONE);
        this.keys = new long[max];
        this.free = new int[max];
    }

    /** Pages an owner needs for {@code max} slots (the page table is sized once). */
    static int pages(final int max) {
        return (max + PAGE_SLOTS - 1) >>> PAGE_SHIFT;
    }

    static int page(final int slot) {
        return slot >>> PAGE_SHIFT;
    }

    /** A slot's index within its page. */
    static int at(final int slot) {
        return slot & PAGE_MASK;
    }

    int find(final long key) {
        return (int) index.get(key);
    }

    /**
     * A slot for a new key, or {@link #NONE} when {@code max} keys are held. A slot at
     * {@link #used()} - 1 after the call may be the first of a page the owner has not allocated.
     */
    int add(final long key) {
        final int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else if (used < max) {
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

    /** Restores the slots; the owner then allocates its pages below {@link #used()} and reads them. */
    void read(final StateReader r, final String what) {
        final int u = r.getInt(what + " slots", 0, max);
        final int f = r.getInt(what + " free slots", 0, u);
        Arrays.fill(keys, 0);
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
