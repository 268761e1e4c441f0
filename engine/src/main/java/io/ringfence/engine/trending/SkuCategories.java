package io.ringfence.engine.trending;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The category of each sku as last seen on an order item line, so that a {@code VIEW} (which
 * names a sku only) can be counted under its category. Bounded: at most {@code maxSkus}
 * entries (a new sku beyond is not learned, counted in {@link #dropped()}); an entry not seen on
 * an order line for {@code ttl} of event time is unknown from then on ({@link #find}), and its slot
 * is reclaimed by a sweep that checks {@value #SWEEP_PER_EVENT} slots per event, and {@value #ROOM_CHECKS} more when a new
 * sku finds the table full (trial: an expired entry the sweep had not reached kept a new sku out, its views counted under
 * "unknown"). Slot arrays start small and double up to the maximum; slots are walked only in slot order.
 */
final class SkuCategories {
    static final int SWEEP_PER_EVENT = 4;
    /** Slots checked for an expired entry when a new sku finds the table full. */
    static final int ROOM_CHECKS = 64;
    private static final int ID = TrendingPushWriter.ID;
    private static final int NONE = -1;
    private static final int INITIAL = 1_024;

    private final int maxSkus;
    private final long ttl;
    private final Long2LongHashMap index;
    private long[] skus = new long[0];
    private long[] seen = new long[0];
    private byte[] categories = new byte[0];
    /** Per slot: the hash of its category bytes (derived, not in snapshots: recomputed on restore). */
    private long[] categoryHashes = new long[0];
    private int[] free = new int[0];
    private boolean[] live = new boolean[0];
    private int freeCount;
    private int used;
    private int capacity;
    private int size;
    private int sweep;
    private long dropped;
    private long evicted;

    SkuCategories(final int maxSkus, final long ttlMicros) {
        this.maxSkus = maxSkus;
        this.ttl = ttlMicros;
        this.index = new Long2LongHashMap(Math.min(maxSkus, INITIAL) * 2, 0.6f, NONE);
    }

    /**
     * Records that {@code sku} belongs to {@code category} (NUL-padded fields of {@code max} bytes,
     * whose hash is {@code categoryHash}) at event time {@code time}, the engine's clock being {@code now}. The category
     * bytes are rewritten only when they differ from what the sku had.
     */
    void learn(final long skuHash, final DirectBuffer category, final int catAt, final int catMax, final long categoryHash,
               final long time, final long now) {
        int s = (int) index.get(skuHash);
        boolean fresh = false;
        if (s == NONE) {
            if (size == maxSkus && sweep(now, ROOM_CHECKS, true) == 0) {
                dropped++;
                return;
            }
            s = newSlot();
            skus[s] = skuHash;
            live[s] = true;
            index.put(skuHash, s);
            size++;
            fresh = true;
        }
        if (time > seen[s]) {
            seen[s] = time;
        }
        final int at = s * ID;
        final int length = Ids.length(category, catAt, Math.min(catMax, ID));
        if (fresh || !holds(at, category, catAt, length)) {
            Arrays.fill(categories, at, at + ID, (byte) 0);
            category.getBytes(catAt, categories, at, length);
            categoryHashes[s] = categoryHash;
        }
    }

    /** True if the NUL-padded field at {@code at} holds exactly the {@code length} bytes at {@code catAt}. */
    private boolean holds(final int at, final DirectBuffer category, final int catAt, final int length) {
        if (length < ID && categories[at + length] != 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (categories[at + i] != category.getByte(catAt + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The slot of a sku's category bytes ({@link #categories()} at {@code slot * 36}), or -1 when unknown: never learned,
     * or not seen on an order line since {@code now - ttl} (data trial: the sweep reaches an entry some time after its
     * ttl, and views were counted under a category 31-35 days after a 30-day skuTtl).
     */
    int find(final long skuHash, final long now) {
        final int slot = (int) index.get(skuHash);
        return slot != NONE && now != Long.MIN_VALUE && seen[slot] < now - ttl ? NONE : slot;
    }

    /** The hash of the category bytes of a slot {@link #find} returned. */
    long categoryHash(final int slot) {
        return categoryHashes[slot];
    }

    /** Category bytes, {@value #ID} per slot. */
    byte[] categories() {
        return categories;
    }

    /** Forgets entries not seen since {@code now - ttl}, checking a few slots. */
    void sweep(final long now) {
        sweep(now, SWEEP_PER_EVENT, false);
    }

    /**
     * Checks up to {@code slots} slots from the sweep's place, forgetting those not seen since {@code now - ttl}, and stops
     * at the first forgotten when {@code one}; returns how many were forgotten.
     */
    private int sweep(final long now, final int slots, final boolean one) {
        if (used == 0 || now == Long.MIN_VALUE) {
            return 0;
        }
        final long before = now - ttl;
        int forgotten = 0;
        for (int i = 0; i < slots; i++) {
            final int s = sweep;
            sweep = sweep + 1 == used ? 0 : sweep + 1;
            if (live[s] && seen[s] < before) {
                index.remove(skus[s]);
                live[s] = false;
                free[freeCount++] = s;
                size--;
                evicted++;
                forgotten++;
                if (one) {
                    break;
                }
            }
        }
        return forgotten;
    }

    private int newSlot() {
        if (freeCount > 0) {
            final int s = free[--freeCount];
            seen[s] = Long.MIN_VALUE; // not the forgotten sku's time: a late first event would keep the new one longer
            return s;
        }
        if (used == capacity) {
            grow((int) Math.min(maxSkus, Math.max(INITIAL, (long) capacity * 2)));
        }
        seen[used] = Long.MIN_VALUE;
        return used++;
    }

    private void grow(final int to) {
        skus = Arrays.copyOf(skus, to);
        seen = Arrays.copyOf(seen, to);
        categories = Arrays.copyOf(categories, to * ID);
        categoryHashes = Arrays.copyOf(categoryHashes, to);
        free = Arrays.copyOf(free, to);
        live = Arrays.copyOf(live, to);
        capacity = to;
    }

    int size() {
        return size;
    }

    long dropped() {
        return dropped;
    }

    long evicted() {
        return evicted;
    }

    long stateHash() {
        long h = ((size * 31L + dropped) * 31 + evicted) * 31 + sweep;
        h = h * 31 + freeCount;
        for (int s = 0; s < used; s++) {
            if (live[s]) {
                h = ((h * 31 + s) * 31 + skus[s]) * 31 + seen[s];
                for (int i = s * ID; i < s * ID + ID; i++) {
                    h = h * 31 + categories[i];
                }
            }
        }
        return h;
    }

    /** Bytes {@link #writeState} writes now. */
    long stateBytesBound() {
        return 32 + 4L * freeCount + (long) used * (8 + 8 + ID + 1);
    }

    void writeState(final StateWriter w) {
        w.putInt(used).putInt(size).putInt(freeCount).putInt(sweep).putLong(dropped).putLong(evicted);
        w.putInts(free, 0, freeCount);
        w.putLongs(skus, 0, used).putLongs(seen, 0, used).putBytes(categories, 0, used * ID);
        for (int s = 0; s < used; s++) {
            w.putBoolean(live[s]);
        }
    }

    void readState(final StateReader r) {
        used = r.getInt("sku categories used", 0, maxSkus);
        size = r.getInt("sku categories live", 0, used);
        freeCount = r.getInt("sku categories free", 0, used);
        sweep = r.getInt("sku categories sweep", 0, Math.max(0, used - 1));
        dropped = r.getLong();
        evicted = r.getLong();
        if (used > 0) {
            grow((int) Math.min(maxSkus, Math.max(INITIAL, Integer.highestOneBit(used - 1) * 2L)));
        }
        r.getInts(free, 0, freeCount);
        r.getLongs(skus, 0, used);
        r.getLongs(seen, 0, used);
        r.getBytes(categories, 0, used * ID);
        for (int s = 0; s < used; s++) {
            live[s] = r.getBoolean();
            if (live[s]) {
                index.put(skus[s], s);
                categoryHashes[s] = Ids.hash(categories, s * ID, ID);
            }
        }
    }
}
