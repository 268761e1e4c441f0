package io.ringfence.engine.commerce;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.OrderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/** A flyweight over an SBE order's item lines: sku hash and quantity by index, read in place. */
final class OrderLines {
    private static final int SKU = OrderDecoder.ItemsDecoder.skuEncodingOffset();
    private static final int QTY = OrderDecoder.ItemsDecoder.qtyEncodingOffset();

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
        return this;
    }

    int count() {
        return count;
    }

    long sku(final int i) {
        return Ids.hash(buffer, first + i * blockLength + SKU, Ids.MAX_ID_BYTES);
    }

    int qty(final int i) {
        return buffer.getInt(first + i * blockLength + QTY, ByteOrder.LITTLE_ENDIAN);
    }
}
