package io.ringfence.engine.window;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.WindowResultEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Heavy hitters by the Space-Saving algorithm (Metwally, Agrawal, El Abbadi 2005) with a capacity of
 * {@code 4k} counters unless configured ({@code topk(sku, 5, 200)}), keeping each item's id bytes for output.
 * Below, {@code 4k} stands for that capacity.
 *
 * <p>Guarantees: while at most {@code 4k} distinct items have been seen, every count is exact.
 * After that, an unmonitored item replaces the counter with the smallest count (lowest slot on
 * ties) and inherits that count as its error, kept per slot and reported as the entry's
 * {@code overcount}: the true count lies in {@code [count - overcount, count]}, and overcount is at
 * most {@code N/(4k)} (N = items added); every item occurring more than {@code N/(4k)} times is
 * reported. Deterministic: the state depends only on the sequence of items.
 *
 * <p>Output order: count descending, ties by item bytes ascending (unsigned, i.e. UTF-8 code point
 * order). At most k entries. Fixed memory: about {@code 4k × (8 + 8 + 8 + 40 + 36 + 4 + 8)} bytes.
 */
final class TopKSketch {
    private static final int ITEM = Ids.MAX_ID_BYTES;

    private final int k;
    private final int capacity;
    private final long[] hashes;
    private final long[] counts;
    /** Per slot: the count its item inherited when it took the slot (0 while exact). */
    private final long[] errors;
    /** Item ids as they are added: per slot 4 little-endian longs and the last 4 bytes (ITEM = 36). */
    private final long[] words;
    private static final int WORDS = 5;
    /** Item ids as bytes, written from {@link #words} by {@link #prepareOutput()}. */
    private final byte[] itemBytes;
    private final UnsafeBuffer items;
    private final int[] order;
    private int size;

    // Hash → slot index: open addressing, linear probing, backward-shift deletion; entries are
    // slot + 1 (0 = empty). Slot hashes are unique (an item only gets a slot when absent).
    // Only above LINEAR_LIMIT slots: below, a plain scan of the hashes is cheaper (no probing).
    private static final int LINEAR_LIMIT = 64;
    private final boolean useIndex;
    private final short[] index;
    private final int indexMask;
    // Once full: a tournament tree over the counts (node i holds the slot with the smallest count
    // in its subtree, the left one on ties, so the root is "smallest count, lowest slot"); leaves
    // start at `leaves`; padding slots beyond capacity have count Long.MAX_VALUE (never the minimum).
    private final int leaves;
    private final int[] tree;

    TopKSketch(final int k) {
        this(k, 4 * k);
    }

    TopKSketch(final int k, final int capacity) {
        this.k = k;
        this.capacity = capacity;
        this.hashes = new long[capacity];
        int l = 1;
        while (l < capacity) {
            l <<= 1;
        }
        this.leaves = l;
        this.tree = new int[2 * l];
        this.counts = new long[l]; // slots from capacity on are tree padding
        java.util.Arrays.fill(counts, capacity, l, Long.MAX_VALUE);
        this.errors = new long[capacity];
        this.words = new long[capacity * WORDS];
        this.itemBytes = new byte[capacity * ITEM];
        this.items = new UnsafeBuffer(itemBytes);
        this.order = new int[capacity];
        this.useIndex = capacity > LINEAR_LIMIT;
        int n = 16;
        while (n < 2 * capacity) {
            n <<= 1;
        }
        this.index = useIndex ? new short[n] : null;
        this.indexMask = n - 1;
    }

    void reset() {
        if (useIndex && size > 0) {
            java.util.Arrays.fill(index, (short) 0);
        }
        size = 0;
    }

    /**
     * Adds one occurrence of an item.
     *
     * @param offset where its NUL-padded id bytes are in {@code buffer} (a {@value #ITEM}-byte
     *               field, as every topk field is)
     * @param length the id's length (bytes before the first NUL, ≥ 1)
     * @param k0     for ids shorter than 16 bytes, the first 8 id bytes little-endian with the
     *               bytes from {@code length} on zeroed ({@code k1}: the next 8); else ignored
     */
    void add(final long hash, final DirectBuffer buffer, final int offset, final int length, final long k0, final long k1) {
        if (!useIndex) {
            final long[] hashes = this.hashes;
            final int n = size;
            for (int i = 0; i < n; i++) {
                if (hashes[i] == hash) {
                    hit(i);
                    return;
                }
            }
        } else {
            final int found = find(hash);
            if (found >= 0) {
                hit(found);
                return;
            }
        }
        final int slot;
        if (size < capacity) {
            slot = size++;
            hashes[slot] = hash;
            counts[slot] = 1;
            errors[slot] = 0;
            if (useIndex) {
                insertIntoIndex(slot);
            }
            if (size == capacity) {
                buildTree();
            }
        } else {
            slot = tree[1];
            if (useIndex) {
                removeFromIndex(slot);
            }
            hashes[slot] = hash;
            errors[slot] = counts[slot];
            counts[slot]++; // inherits the smallest count as its error, plus this occurrence
            final int[] tree = this.tree;
            final long[] counts = this.counts;
            for (int node = (leaves + slot) >>> 1; node >= 1; node >>>= 1) { // it won every level
                tree[node] = winner(tree[node << 1], tree[(node << 1) + 1], counts);
            }
            if (useIndex) {
                insertIntoIndex(slot);
            }
        }
        final int at = slot * WORDS;
        if (length < 16) {
            final long[] words = this.words;
            words[at] = k0;
            words[at + 1] = k1;
            words[at + 2] = 0;
            words[at + 3] = 0;
            words[at + 4] = 0;
        } else {
            copyItem(at, buffer, offset, Math.min(length, ITEM));
        }
    }

    private void hit(final int slot) {
        counts[slot]++;
        if (size == capacity) {
            raised(slot);
        }
    }

    private int find(final long hash) {
        final short[] index = this.index;
        final int mask = indexMask;
        int i = (int) hash & mask;
        int entry;
        while ((entry = index[i]) != 0) {
            if (hashes[entry - 1] == hash) {
                return entry - 1;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void insertIntoIndex(final int slot) {
        final short[] index = this.index;
        final int mask = indexMask;
        int j = (int) hashes[slot] & mask;
        while (index[j] != 0) {
            j = (j + 1) & mask;
        }
        index[j] = (short) (slot + 1);
    }

    /**
     * The slot's count grew by one: fix the path to the root. An ancestor won by another slot
     * stays won by it (that slot's count was already ≤ this one's), and so do all above it.
     */
    private void raised(final int slot) {
        final int[] tree = this.tree;
        final long[] counts = this.counts;
        int node = (leaves + slot) >>> 1;
        while (node >= 1 && tree[node] == slot) {
            tree[node] = winner(tree[node << 1], tree[(node << 1) + 1], counts);
            node >>>= 1;
        }
    }

    private void buildTree() {
        for (int i = 0; i < leaves; i++) {
            tree[leaves + i] = i;
        }
        for (int node = leaves - 1; node >= 1; node--) {
            tree[node] = winner(tree[node << 1], tree[(node << 1) + 1], counts);
        }
    }

    /**
     * Of two slots (left first), the one with the smaller count; the left on ties. Branch-free:
     * which one wins is unpredictable. Counts are in [0, Long.MAX_VALUE] (padding slots hold the
     * maximum), so the subtraction cannot overflow.
     */
    private static int winner(final int a, final int b, final long[] counts) {
        final int bLess = (int) ((counts[b] - counts[a]) >> 63);
        return a ^ ((a ^ b) & bLess);
    }

    private void removeFromIndex(final int slot) {
        final short[] index = this.index;
        final int mask = indexMask;
        int hole = (int) hashes[slot] & mask;
        while (index[hole] != slot + 1) {
            hole = (hole + 1) & mask;
        }
        int j = (hole + 1) & mask;
        int entry;
        while ((entry = index[j]) != 0) {
            final int home = (int) hashes[entry - 1] & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[hole] = (short) entry;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        index[hole] = 0;
    }

    /**
     * Stores the first {@code length} bytes of the id and zeros the rest of its {@value #ITEM}
     * bytes into the slot's words (same bytes as zero-fill then copy, without native memory calls).
     */
    private void copyItem(final int at, final DirectBuffer buffer, final int offset, final int length) {
        final long[] words = this.words;
        for (int i = 0; i < ITEM - 4; i += 8) {
            final int keep = length - i;
            final long w;
            if (keep >= 8) {
                w = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN);
            } else if (keep > 0) {
                w = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) & ((1L << (keep << 3)) - 1);
            } else {
                w = 0;
            }
            words[at + (i >>> 3)] = w;
        }
        final int keep = length - (ITEM - 4);
        final int w;
        if (keep >= 4) {
            w = buffer.getInt(offset + ITEM - 4, ByteOrder.LITTLE_ENDIAN);
        } else if (keep > 0) {
            w = buffer.getInt(offset + ITEM - 4, ByteOrder.LITTLE_ENDIAN) & ((1 << (keep << 3)) - 1);
        } else {
            w = 0;
        }
        words[at + 4] = w & 0xFFFFFFFFL;
    }

    /** Sorts the counters for output; returns how many entries to report (at most k). */
    int prepareOutput() {
        for (int i = 0; i < size; i++) { // item bytes as the output and the tie-break need them
            final int w = i * WORDS;
            final int at = i * ITEM;
            items.putLong(at, words[w], ByteOrder.LITTLE_ENDIAN);
            items.putLong(at + 8, words[w + 1], ByteOrder.LITTLE_ENDIAN);
            items.putLong(at + 16, words[w + 2], ByteOrder.LITTLE_ENDIAN);
            items.putLong(at + 24, words[w + 3], ByteOrder.LITTLE_ENDIAN);
            items.putInt(at + 32, (int) words[w + 4], ByteOrder.LITTLE_ENDIAN);
        }
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        // insertion sort: stable, allocation-free, fine for at most 400 entries at window close
        for (int i = 1; i < size; i++) {
            final int v = order[i];
            int j = i - 1;
            while (j >= 0 && before(v, order[j])) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
        return Math.min(k, size);
    }

    /** The rank-th entry after {@link #prepareOutput()}. */
    long countAt(final int rank) {
        return counts[order[rank]];
    }

    /** How far the rank-th entry's count may exceed its item's true count (0: exact). */
    long overcountAt(final int rank) {
        return errors[order[rank]];
    }

    /** Offset of the rank-th entry's 36 id bytes in {@link #itemBytes()}. */
    int itemOffsetAt(final int rank) {
        return order[rank] * ITEM;
    }

    byte[] itemBytes() {
        return itemBytes;
    }

    void putItem(final int rank, final WindowResultEncoder.TopItemsEncoder enc) {
        enc.putItem(itemBytes, itemOffsetAt(rank));
    }

    long contentHash() {
        long h = size;
        for (int i = 0; i < size; i++) {
            h = Mix.combine(h, hashes[i]);
            h = Mix.combine(h, counts[i]);
            h = Mix.combine(h, errors[i]);
        }
        return h;
    }

    private boolean before(final int a, final int b) {
        if (counts[a] != counts[b]) {
            return counts[a] > counts[b];
        }
        return compareItems(a, b) < 0;
    }

    private int compareItems(final int a, final int b) {
        final int oa = a * ITEM;
        final int ob = b * ITEM;
        for (int i = 0; i < ITEM; i++) {
            final int x = itemBytes[oa + i] & 0xff;
            final int y = itemBytes[ob + i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return 0;
    }

    /** Bytes {@link #write} writes at most for a sketch of {@code capacity} counters. */
    static long stateBytesMax(final int capacity) {
        return 4 + (long) capacity * (8 + 8 + 8 + 8 * WORDS);
    }

    /**
     * The tracked items: hash, count, inherited error and item words per slot. The index and the tournament tree
     * are functions of these (the tree: smallest count, leftmost on ties), so {@link #read}
     * rebuilds them.
     */
    void write(final StateWriter w) {
        w.putInt(size).putLongs(hashes, 0, size).putLongs(counts, 0, size).putLongs(errors, 0, size)
                .putLongs(words, 0, size * WORDS);
    }

    void read(final StateReader r) {
        reset();
        final int n = r.getInt("topk size", 0, capacity);
        r.getLongs(hashes, 0, n);
        r.getLongs(counts, 0, n);
        r.getLongs(errors, 0, n);
        r.getLongs(words, 0, n * WORDS);
        size = n;
        if (useIndex) {
            for (int i = 0; i < n; i++) {
                insertIntoIndex(i);
            }
        }
        if (n == capacity) {
            buildTree();
        }
    }
}
