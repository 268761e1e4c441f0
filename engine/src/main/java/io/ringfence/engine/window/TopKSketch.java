package io.ringfence.engine.window;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.WindowResultEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Heavy hitters by the Space-Saving algorithm (Metwally, Agrawal, El Abbadi 2005) with capacity
 * {@code 4k} counters, keeping each item's id bytes for output.
 *
 * <p>Guarantees: while at most {@code 4k} distinct items have been seen, every count is exact.
 * After that, an unmonitored item replaces the counter with the smallest count (lowest slot on
 * ties) and inherits that count as its error; a reported count over-estimates the true one by at
 * most {@code N/(4k)} (N = items added), and every item occurring more than {@code N/(4k)} times is
 * reported. Deterministic: the state depends only on the sequence of items.
 *
 * <p>Output order: count descending, ties by item bytes ascending (unsigned, i.e. UTF-8 code point
 * order). At most k entries. Fixed memory: {@code 4k × (8 + 8 + 36)} bytes.
 */
final class TopKSketch {
    private static final int ITEM = Ids.MAX_ID_BYTES;

    private final int k;
    private final int capacity;
    private final long[] hashes;
    private final long[] counts;
    private final byte[] itemBytes;
    private final UnsafeBuffer items;
    private final int[] order;
    private int size;

    TopKSketch(final int k) {
        this.k = k;
        this.capacity = 4 * k;
        this.hashes = new long[capacity];
        this.counts = new long[capacity];
        this.itemBytes = new byte[capacity * ITEM];
        this.items = new UnsafeBuffer(itemBytes);
        this.order = new int[capacity];
    }

    void reset() {
        size = 0;
    }

    /**
     * Adds one occurrence of the item whose NUL-padded id bytes are at {@code offset}.
     *
     * @param length the id's length (bytes before the first NUL, ≥ 1); the field at {@code offset}
     *               is {@value #ITEM} bytes wide, as every topk field is
     */
    void add(final long hash, final DirectBuffer buffer, final int offset, final int length) {
        final long[] hashes = this.hashes;
        final int size = this.size;
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash) {
                counts[i]++;
                return;
            }
        }
        final int slot;
        final long base;
        if (size < capacity) {
            slot = size;
            this.size = size + 1;
            base = 0;
        } else {
            final long[] counts = this.counts;
            int min = 0;
            long minCount = counts[0];
            for (int i = 1; i < counts.length; i++) {
                final long c = counts[i];
                if (c < minCount) {
                    minCount = c;
                    min = i;
                }
            }
            slot = min;
            base = minCount;
        }
        hashes[slot] = hash;
        counts[slot] = base + 1;
        copyItem(slot * ITEM, buffer, offset, Math.min(length, ITEM));
    }

    /**
     * Stores the first {@code length} bytes of the id and zeros the rest of its {@value #ITEM}
     * bytes, 8 bytes at a time (same bytes as zero-fill then copy, without two native memory calls).
     */
    private void copyItem(final int at, final DirectBuffer buffer, final int offset, final int length) {
        final UnsafeBuffer items = this.items;
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
            items.putLong(at + i, w, ByteOrder.LITTLE_ENDIAN);
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
        items.putInt(at + ITEM - 4, w, ByteOrder.LITTLE_ENDIAN);
    }

    /** Sorts the counters for output; returns how many entries to report (at most k). */
    int prepareOutput() {
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
}
