package io.ringfence.engine.cart;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The open carts: per user (by id hash) the user's id bytes, when the cart was opened, its last
 * add, whether its promotion was pushed, and up to {@code maxItems} distinct skus with how often
 * each was added, in the order first added.
 *
 * <p>Bounded: at most {@code maxCarts} carts (opening one more is refused; the caller counts it)
 * and {@code maxItems} skus per cart (further skus are counted in {@link #itemsDropped()}). Slot
 * arrays start small and double up to {@code maxCarts}, so memory follows the working set and
 * allocation happens only at a new high. Slots are assigned and reused in an order that depends
 * on the event sequence alone; only slot order is walked (state hash, snapshots).
 */
final class CartBook {
    static final int ID = Ids.MAX_ID_BYTES;
    static final int NONE = -1;
    private static final int INITIAL = 256;

    private final int maxCarts;
    private final int maxItems;
    private final Long2LongHashMap index;
    private long[] users = new long[0];
    private byte[] userBytes = new byte[0];
    private long[] opened = new long[0];
    private long[] lastAdd = new long[0];
    private boolean[] pushed = new boolean[0];
    /** Items per slot; -1 = free slot. */
    private int[] itemCount = new int[0];
    private long[] skuHashes = new long[0];
    private byte[] skuBytes = new byte[0];
    private long[] adds = new long[0];
    private int[] free = new int[0];
    private int freeCount;
    private int used;
    private int capacity;
    private int size;
    private long itemsDropped;

    CartBook(final int maxCarts, final int maxItems) {
        this.maxCarts = maxCarts;
        this.maxItems = maxItems;
        this.index = new Long2LongHashMap(Math.min(maxCarts, INITIAL) * 2, 0.6f, NONE);
    }

    /** The user's cart slot, or {@link #NONE}. */
    int find(final long user) {
        return (int) index.get(user);
    }

    /** Opens a cart for a user without one; {@link #NONE} when {@code maxCarts} are open. */
    int open(final long user, final DirectBuffer userId, final int userAt, final long time) {
        if (size == maxCarts) {
            return NONE;
        }
        final int s;
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            if (used == capacity) {
                grow((int) Math.min(maxCarts, Math.max(INITIAL, (long) capacity * 2)));
            }
            s = used++;
        }
        users[s] = user;
        final int length = Ids.length(userId, userAt, ID);
        Arrays.fill(userBytes, s * ID, (s + 1) * ID, (byte) 0);
        userId.getBytes(userAt, userBytes, s * ID, length);
        opened[s] = time;
        lastAdd[s] = time;
        pushed[s] = false;
        itemCount[s] = 0;
        index.put(user, s);
        size++;
        return s;
    }

    /** One more add of a sku to the cart in slot {@code s} at {@code time}. */
    void add(final int s, final long skuHash, final DirectBuffer sku, final int skuAt, final long time) {
        if (time > lastAdd[s]) {
            lastAdd[s] = time;
        }
        final int base = s * maxItems;
        final int n = itemCount[s];
        for (int i = 0; i < n; i++) {
            if (skuHashes[base + i] == skuHash) {
                adds[base + i]++;
                return;
            }
        }
        if (n == maxItems) {
            itemsDropped++;
            return;
        }
        skuHashes[base + n] = skuHash;
        final int at = (base + n) * ID;
        Arrays.fill(skuBytes, at, at + ID, (byte) 0);
        sku.getBytes(skuAt, skuBytes, at, Ids.length(sku, skuAt, ID));
        adds[base + n] = 1;
        itemCount[s] = n + 1;
    }

    /** Closes the cart in slot {@code s} (an order, or idle). */
    void close(final int s) {
        index.remove(users[s]);
        itemCount[s] = NONE;
        free[freeCount++] = s;
        size--;
    }

    long user(final int s) {
        return users[s];
    }

    byte[] userBytes() {
        return userBytes;
    }

    long opened(final int s) {
        return opened[s];
    }

    long lastAdd(final int s) {
        return lastAdd[s];
    }

    boolean pushed(final int s) {
        return pushed[s];
    }

    void markPushed(final int s) {
        pushed[s] = true;
    }

    int itemCount(final int s) {
        return itemCount[s];
    }

    /** Sku bytes: item {@code i} of slot {@code s} is at {@code (s * maxItems + i) * 36}. */
    byte[] skuBytes() {
        return skuBytes;
    }

    int itemAt(final int s, final int i) {
        return (s * maxItems + i) * ID;
    }

    long adds(final int s, final int i) {
        return adds[s * maxItems + i];
    }

    int size() {
        return size;
    }

    long itemsDropped() {
        return itemsDropped;
    }

    private void grow(final int to) {
        users = Arrays.copyOf(users, to);
        userBytes = Arrays.copyOf(userBytes, to * ID);
        opened = Arrays.copyOf(opened, to);
        lastAdd = Arrays.copyOf(lastAdd, to);
        pushed = Arrays.copyOf(pushed, to);
        itemCount = Arrays.copyOf(itemCount, to);
        skuHashes = Arrays.copyOf(skuHashes, to * maxItems);
        skuBytes = Arrays.copyOf(skuBytes, to * maxItems * ID);
        adds = Arrays.copyOf(adds, to * maxItems);
        free = Arrays.copyOf(free, to);
        capacity = to;
    }

    long stateHash() {
        long h = ((size * 31L + used) * 31 + freeCount) * 31 + itemsDropped;
        for (int s = 0; s < used; s++) {
            if (itemCount[s] == NONE) {
                continue;
            }
            h = ((h * 31 + s) * 31 + users[s]) * 31 + opened[s];
            h = ((h * 31 + lastAdd[s]) * 31 + (pushed[s] ? 1 : 0)) * 31 + itemCount[s];
            for (int i = 0; i < itemCount[s]; i++) {
                h = (h * 31 + skuHashes[s * maxItems + i]) * 31 + adds[s * maxItems + i];
            }
        }
        return h;
    }

    /** Every used slot (free ones as a marker only) and the free list, so slots are reused in the same order after a restore. */
    /** An upper bound of the bytes {@link #writeState} writes now: every live cart counted full. */
    long stateBytesBound() {
        return 24 + 4L * freeCount + 4L * used + (long) size * (8 + ID + 8 + 8 + 1 + (long) maxItems * (8 + ID + 8));
    }

    void writeState(final StateWriter w) {
        w.putInt(maxItems).putInt(used).putInt(size).putInt(freeCount).putLong(itemsDropped);
        w.putInts(free, 0, freeCount);
        w.putInts(itemCount, 0, used);
        for (int s = 0; s < used; s++) {
            if (itemCount[s] == NONE) {
                continue;
            }
            w.putLong(users[s]).putBytes(userBytes, s * ID, ID).putLong(opened[s]).putLong(lastAdd[s]).putBoolean(pushed[s]);
            final int n = itemCount[s];
            w.putLongs(skuHashes, s * maxItems, n).putBytes(skuBytes, s * maxItems * ID, n * ID).putLongs(adds, s * maxItems, n);
        }
    }

    void readState(final StateReader r) {
        r.getInt("carts maxItemsPerCart", maxItems, maxItems);
        used = r.getInt("carts used", 0, maxCarts);
        size = r.getInt("carts live", 0, used);
        freeCount = r.getInt("carts free", 0, used);
        itemsDropped = r.getLong();
        if (used > 0) {
            grow((int) Math.min(maxCarts, Math.max(INITIAL, Integer.highestOneBit(used - 1) * 2L)));
        }
        r.getInts(free, 0, freeCount);
        r.getInts(itemCount, 0, used);
        for (int s = 0; s < used; s++) {
            if (itemCount[s] == NONE) {
                continue;
            }
            users[s] = r.getLong();
            r.getBytes(userBytes, s * ID, ID);
            opened[s] = r.getLong();
            lastAdd[s] = r.getLong();
            pushed[s] = r.getBoolean();
            final int n = itemCount[s];
            r.getLongs(skuHashes, s * maxItems, n);
            r.getBytes(skuBytes, s * maxItems * ID, n * ID);
            r.getLongs(adds, s * maxItems, n);
            index.put(users[s], s);
        }
    }
}
