package io.ringfence.engine.commerce;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusPushEncoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;
import io.ringfence.sbe.StockPushEncoder;
import io.ringfence.sbe.StockSignal;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the order and stock outputs ({@code OrderStatusPush}, {@code StockPush}, business
 * {@code Reject}) into an event's {@link OutputBuffer}. Ids are copied as stored (36 bytes,
 * NUL padded) so they come back byte for byte. Encoders reused: allocation-free.
 */
final class CommercePublisher {
    static final int ID = OrderStatusPushEncoder.orderIdLength();
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderStatusPushEncoder status = new OrderStatusPushEncoder();
    private final StockPushEncoder stock = new StockPushEncoder();
    private final RejectEncoder reject = new RejectEncoder();
    private long orderPushes;
    private long stockPushes;
    private long rejects;

    /** {@code ids} holds the order id then the user id, {@link #ID} bytes each, from {@code at}. */
    void orderStatus(final long seq, final long eventTime, final byte[] ids, final int at, final OrderState state,
                     final OutputBuffer out) {
        final int o = out.begin();
        final MutableDirectBuffer buffer = out.buffer();
        status.wrapAndApplyHeader(buffer, o, header).seq(seq).eventTime(eventTime);
        buffer.putBytes(o + HEADER + OrderStatusPushEncoder.orderIdEncodingOffset(), ids, at, ID);
        buffer.putBytes(o + HEADER + OrderStatusPushEncoder.userIdEncodingOffset(), ids, at + ID, ID);
        status.status(state);
        out.commit(o, HEADER + status.encodedLength());
        orderPushes++;
    }

    /** {@code warehouseAt} &lt; 0: no warehouse (a change by an order, not by an inventory event). */
    void stock(final long seq, final long eventTime, final byte[] sku, final int skuAt, final DirectBuffer warehouse,
               final int warehouseAt, final long level, final StockSignal signal, final OutputBuffer out) {
        final int o = out.begin();
        final MutableDirectBuffer buffer = out.buffer();
        stock.wrapAndApplyHeader(buffer, o, header).seq(seq).eventTime(eventTime);
        buffer.putBytes(o + HEADER + StockPushEncoder.skuEncodingOffset(), sku, skuAt, ID);
        final int w = o + HEADER + StockPushEncoder.warehouseEncodingOffset();
        if (warehouseAt >= 0) {
            buffer.putBytes(w, warehouse, warehouseAt, ID);
        } else {
            buffer.setMemory(w, ID, (byte) 0);
        }
        stock.level(level).signal(signal);
        out.commit(o, HEADER + stock.encodedLength());
        stockPushes++;
    }

    void reject(final long seq, final long clientSeq, final RejectCode code, final byte[] reason, final OutputBuffer out) {
        final int o = out.begin();
        reject.wrapAndApplyHeader(out.buffer(), o, header).seq(seq).clientSeq(clientSeq).code(code)
                .putReason(reason, 0, reason.length);
        out.commit(o, HEADER + reject.encodedLength());
        rejects++;
    }

    void restore(final long orderPushes, final long stockPushes, final long rejects) {
        this.orderPushes = orderPushes;
        this.stockPushes = stockPushes;
        this.rejects = rejects;
    }

    long orderPushes() {
        return orderPushes;
    }

    long stockPushes() {
        return stockPushes;
    }

    long rejects() {
        return rejects;
    }
}
