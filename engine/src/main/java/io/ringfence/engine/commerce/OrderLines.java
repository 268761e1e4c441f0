package io.ringfence.engine.commerce;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.OrderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A flyweight over an SBE order's item lines: sku hash and quantity by index, read in place. The
 * sku hashes of the first {@value #CACHED} lines are computed once per {@link #wrap} (the
 * oversell check and the reservations each ask for them).
 */
final class OrderLines {
    private static final int SKU = OrderDecoder.ItemsDecoder.skuEncodingOffset();
    private static final int QTY = OrderDecoder.ItemsDecoder.qtyEncodingOffset();
    private static final int CACHED = Long.SIZE;

    private final long[] skus = new long[CACHED];
    /** Bit i set: {@code skus[i]} holds line i's sku hash. */
    private long hashed;

    private DirectBuffer buffer;
    private int first;
    private int blockLength;
    private int count;

    /** @param groupAt where the items group header starts (the order body + its block length) */
    OrderLines wrap(final DirectBuffer buffer, final int groupAt) {
        this.buffer = buffer;
        this.blockLength = buffer.getShort(groupAt, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        this.count = buffer.getShort(groupAt + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        this.first = groupAt + OrderDecoder.ItemsDecoder.HEADER_SIZE;
        this.hashed = 0;
        return this;
    }

    int count() {
        return count;
    }

    long sku(final int i) {
        if (i >= CACHED) {
            return Ids.hash(buffer, first + i * blockLength + SKU, Ids.MAX_ID_BYTES);
        }
        if ((hashed & (1L << i)) == 0) {
            skus[i] = Ids.hash(buffer, first + i * blockLength + SKU, Ids.MAX_ID_BYTES);
            hashed |= 1L << i;
        }
        return skus[i];
    }

    int qty(final int i) {
        return buffer.getInt(first + i * blockLength + QTY, ByteOrder.LITTLE_ENDIAN);
    }
}
