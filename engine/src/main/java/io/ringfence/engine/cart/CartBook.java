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
 * and {@code maxItems} skus per cart (further skus are counted in {@link #itemsDropped()}). The
 * carts live in pages of {@value #PAGE_SLOTS} slots, allocated when a page's first slot is handed
 * out and never copied, so memory follows the working set and growing costs one page
 * ({@code 256 × (~60 + 52 × maxItems)} bytes), never a copy of every cart (which at 4,096 → 8,192
 * carts of 20 items moved ~4.5 MB on the engine thread). The index map and the free list still
 * double (16 and 4 bytes a cart). Slots are assigned and reused in an order that depends on the
 * event sequence alone; only slot order is walked (state hash, snapshots).
 */
final class CartBook {
    static final int ID = Ids.MAX_ID_BYTES;
    static final int NONE = -1;
    private static final int INITIAL = 256;
    private static final int PAGE_SHIFT = 8;
    static final int PAGE_SLOTS = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SLOTS - 1;
    // a cart's head record: read together by find-then-use (one cache line)
    private static final int USER = 0;
    private static final int OPENED = 1;
    private static final int LAST_ADD = 2;
    /** Items of the cart; -1 = free slot. */
    private static final int ITEMS = 3;
    private static final int HEAD_WORDS = 4;

    private final int maxCarts;
    private final int maxItems;
    private final Long2LongHashMap index;
    private final Page[] pages;
    private int[] free = new int[0];
    private int freeCount;
    private int used;
    private int size;
    private long itemsDropped;

    /** {@value #PAGE_SLOTS} carts. */
    private static final class Page {
        final long[] head = new long[PAGE_SLOTS * HEAD_WORDS];
        final byte[] userBytes = new byte[PAGE_SLOTS * ID];
        final boolean[] pushed = new boolean[PAGE_SLOTS];
        final long[] skuHashes;
        final byte[] skuBytes;
        final long[] adds;

        Page(final int maxItems) {
            skuHashes = new long[PAGE_SLOTS * maxItems];
            skuBytes = new byte[PAGE_SLOTS * maxItems * ID];
            adds = new long[PAGE_SLOTS * maxItems];
        }
    }

    CartBook(final int maxCarts, final int maxItems) {
        this.maxCarts = maxCarts;
        this.maxItems = maxItems;
        this.index = new Long2LongHashMap(Math.min(maxCarts, INITIAL) * 2, 0.6f, NONE);
        this.pages = new Page[(maxCarts + PAGE_SLOTS - 1) >>> PAGE_SHIFT];
    }

    private Page page(final int s) {
        return pages[s >>> PAGE_SHIFT];
    }

    private static int head(final int s) {
        return (s & PAGE_MASK) * HEAD_WORDS;
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
            if (used == free.length) {
                free = Arrays.copyOf(free, (int) Math.min(maxCarts, Math.max(INITIAL, 2L * free.length)));
            }
            s = used++;
            if (pages[s >>> PAGE_SHIFT] == null) {
                pages[s >>> PAGE_SHIFT] = new Page(maxItems);
            }
        }
        final Page p = page(s);
        final int h = head(s);
        p.head[h + USER] = user;
        final int at = (s & PAGE_MASK) * ID;
        final int length = Ids.length(userId, userAt, ID);
        Arrays.fill(p.userBytes, at, at + ID, (byte) 0);
        userId.getBytes(userAt, p.userBytes, at, length);
        p.head[h + OPENED] = time;
        p.head[h + LAST_ADD] = time;
        p.pushed[s & PAGE_MASK] = false;
        p.head[h + ITEMS] = 0;
        index.put(user, s);
        size++;
        return s;
    }

    /** One more add of a sku to the cart in slot {@code s} at {@code time}. */
    void add(final int s, final long skuHash, final DirectBuffer sku, final int skuAt, final long time) {
        final Page p = page(s);
        final int h = head(s);
        if (time > p.head[h + LAST_ADD]) {
            p.head[h + LAST_ADD] = time;
        }
        final int base = (s & PAGE_MASK) * maxItems;
        final int n = (int) p.head[h + ITEMS];
        for (int i = 0; i < n; i++) {
            if (p.skuHashes[base + i] == skuHash) {
                p.adds[base + i]++;
                return;
            }
        }
        if (n == maxItems) {
            itemsDropped++;
            return;
        }
        p.skuHashes[base + n] = skuHash;
        final int at = (base + n) * ID;
        Arrays.fill(p.skuBytes, at, at + ID, (byte) 0);
        sku.getBytes(skuAt, p.skuBytes, at, Ids.length(sku, skuAt, ID));
        p.adds[base + n] = 1;
        p.head[h + ITEMS] = n + 1;
    }

    /** Closes the cart in slot {@code s} (an order, or idle). */
    void close(final int s) {
        final Page p = page(s);
        index.remove(p.head[head(s) + USER]);
        p.head[head(s) + ITEMS] = NONE;
        free[freeCount++] = s;
        size--;
    }

    long user(final int s) {
        return page(s).head[head(s) + USER];
    }

    /** The array holding the user id bytes of slot {@code s}, at {@link #userAt}. */
    byte[] userBytes(final int s) {
        return page(s).userBytes;
    }

    int userAt(final int s) {
        return (s & PAGE_MASK) * ID;
    }

    long opened(final int s) {
        return page(s).head[head(s) + OPENED];
    }

    long lastAdd(final int s) {
        return page(s).head[head(s) + LAST_ADD];
    }

    boolean pushed(final int s) {
        return page(s).pushed[s & PAGE_MASK];
    }

    void markPushed(final int s) {
        page(s).pushed[s & PAGE_MASK] = true;
    }

    int itemCount(final int s) {
        return (int) page(s).head[head(s) + ITEMS];
    }

    /** The array holding slot {@code s}'s sku bytes: item {@code i} at {@link #itemAt}. */
    byte[] skuBytes(final int s) {
        return page(s).skuBytes;
    }

    int itemAt(final int s, final int i) {
        return ((s & PAGE_MASK) * maxItems + i) * ID;
    }

    long adds(final int s, final int i) {
        return page(s).adds[(s & PAGE_MASK) * maxItems + i];
    }

    int size() {
        return size;
    }

    long itemsDropped() {
        return itemsDropped;
    }

    long stateHash() {
        long h = ((size * 31L + used) * 31 + freeCount) * 31 + itemsDropped;
        for (int s = 0; s < used; s++) {
            final int n = itemCount(s);
            if (n == NONE) {
                continue;
            }
            final Page p = page(s);
            final int base = (s & PAGE_MASK) * maxItems;
            h = ((h * 31 + s) * 31 + user(s)) * 31 + opened(s);
            h = ((h * 31 + lastAdd(s)) * 31 + (pushed(s) ? 1 : 0)) * 31 + n;
            for (int i = 0; i < n; i++) {
                h = (h * 31 + p.skuHashes[base + i]) * 31 + p.adds[base + i];
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
        for (int s = 0; s < used; s++) {
            w.putInt(itemCount(s));
        }
        for (int s = 0; s < used; s++) {
            final int n = itemCount(s);
            if (n == NONE) {
                continue;
            }
            final Page p = page(s);
            final int base = (s & PAGE_MASK) * maxItems;
            w.putLong(user(s)).putBytes(p.userBytes, userAt(s), ID).putLong(opened(s)).putLong(lastAdd(s)).putBoolean(pushed(s));
            w.putLongs(p.skuHashes, base, n).putBytes(p.skuBytes, base * ID, n * ID).putLongs(p.adds, base, n);
        }
    }

    void readState(final StateReader r) {
        r.getInt("carts maxItemsPerCart", maxItems, maxItems);
        used = r.getInt("carts used", 0, maxCarts);
        size = r.getInt("carts live", 0, used);
        freeCount = r.getInt("carts free", 0, used);
        itemsDropped = r.getLong();
        index.clear();
        Arrays.fill(pages, null);
        free = new int[Math.max(used, Math.min(maxCarts, INITIAL))];
        for (int s = 0; s < used; s += PAGE_SLOTS) {
            pages[s >>> PAGE_SHIFT] = new Page(maxItems);
        }
        r.getInts(free, 0, freeCount);
        for (int s = 0; s < used; s++) {
            page(s).head[head(s) + ITEMS] = r.getInt("cart items", NONE, maxItems);
        }
        for (int s = 0; s < used; s++) {
            final int n = itemCount(s);
            if (n == NONE) {
                continue;
            }
            final Page p = page(s);
            final int h = head(s);
            final int base = (s & PAGE_MASK) * maxItems;
            p.head[h + USER] = r.getLong();
            r.getBytes(p.userBytes, userAt(s), ID);
            p.head[h + OPENED] = r.getLong();
            p.head[h + LAST_ADD] = r.getLong();
            p.pushed[s & PAGE_MASK] = r.getBoolean();
            r.getLongs(p.skuHashes, base, n);
            r.getBytes(p.skuBytes, base * ID, n * ID);
            r.getLongs(p.adds, base, n);
            index.put(p.head[h + USER], s);
        }
    }
}
