package io.ringfence.engine.window;

import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes the inbound event the window stage is looking at into what windows need: its type,
 * event time, amount, currency, and the absolute buffer offsets of its id fields (so ids are
 * hashed and copied in place, never turned into Strings). One instance, rewrapped per event.
 *
 * <p>Order item lines are addressed by index: line {@code i} starts at
 * {@code itemsBase + 4 + i * itemBlockLength} (SBE group header of 4 bytes: blockLength, numInGroup).
 */
final class InboundEventAdapter {
    static final int ABSENT = -1;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    private final int[] fieldOffset = new int[KeyField.values().length];

    private DirectBuffer buffer;
    private EventType type;
    private long time;
    private long amount;
    private long qtyTotal;
    private int currencyOffset;
    private int itemsBase;
    private int itemCount;
    private int itemBlockLength;

    /**
     * @param offset where the SBE message header starts
     * @return false when the message is not an order, payment or activity of this schema
     */
    boolean wrap(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        if (header.schemaId() != OrderDecoder.SCHEMA_ID) {
            return false;
        }
        this.buffer = buffer;
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        java.util.Arrays.fill(fieldOffset, ABSENT);
        itemCount = 0;
        qtyTotal = 0;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, blockLength, version);
                type = EventType.ORDER;
                time = order.eventTime();
                amount = order.amount();
                currencyOffset = body + OrderDecoder.currencyEncodingOffset();
                fieldOffset[KeyField.USER.ordinal()] = body + OrderDecoder.userIdEncodingOffset();
                fieldOffset[KeyField.DEVICE.ordinal()] = body + OrderDecoder.deviceIdEncodingOffset();
                fieldOffset[KeyField.IP.ordinal()] = body + OrderDecoder.ipEncodingOffset();
                fieldOffset[KeyField.INSTRUMENT.ordinal()] = body + OrderDecoder.instrumentIdEncodingOffset();
                fieldOffset[KeyField.MERCHANT.ordinal()] = body + OrderDecoder.merchantIdEncodingOffset();
                fieldOffset[KeyField.COUNTRY.ordinal()] = body + OrderDecoder.countryEncodingOffset();
                fieldOffset[KeyField.ORDER.ordinal()] = body + OrderDecoder.orderIdEncodingOffset();
                itemsBase = body + blockLength;
                itemBlockLength = buffer.getShort(itemsBase, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                itemCount = buffer.getShort(itemsBase + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                for (int i = 0; i < itemCount; i++) {
                    qtyTotal += itemQty(i);
                }
                return true;
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, body, blockLength, version);
                type = EventType.PAYMENT;
                time = payment.eventTime();
                amount = payment.amount();
                currencyOffset = body + PaymentDecoder.currencyEncodingOffset();
                fieldOffset[KeyField.USER.ordinal()] = body + PaymentDecoder.userIdEncodingOffset();
                fieldOffset[KeyField.INSTRUMENT.ordinal()] = body + PaymentDecoder.instrumentIdEncodingOffset();
                fieldOffset[KeyField.ORDER.ordinal()] = body + PaymentDecoder.orderIdEncodingOffset();
                return true;
            case ActivityDecoder.TEMPLATE_ID:
                activity.wrap(buffer, body, blockLength, version);
                type = EventType.ACTIVITY;
                time = activity.eventTime();
                amount = 0;
                currencyOffset = ABSENT;
                fieldOffset[KeyField.USER.ordinal()] = body + ActivityDecoder.userIdEncodingOffset();
                fieldOffset[KeyField.DEVICE.ordinal()] = body + ActivityDecoder.deviceIdEncodingOffset();
                fieldOffset[KeyField.IP.ordinal()] = body + ActivityDecoder.ipEncodingOffset();
                fieldOffset[KeyField.SKU.ordinal()] = body + ActivityDecoder.skuEncodingOffset();
                return true;
            default:
                return false;
        }
    }

    DirectBuffer buffer() {
        return buffer;
    }

    EventType type() {
        return type;
    }

    long time() {
        return time;
    }

    /** Order or payment amount in minor units; 0 for activities. */
    long amount() {
        return amount;
    }

    /** Sum of the order's item quantities; 0 for other events. */
    long qtyTotal() {
        return qtyTotal;
    }

    /** Absolute offset of the 3-byte currency, or {@link #ABSENT}. */
    int currencyOffset() {
        return currencyOffset;
    }

    int itemCount() {
        return itemCount;
    }

    /** True when the field is per item line in this event (sku, category of an order). */
    boolean perLine(final KeyField field) {
        return field.itemLevel() && type == EventType.ORDER;
    }

    /**
     * Absolute offset of a field, or {@link #ABSENT}.
     *
     * @param line item line for per-line fields (ignored otherwise); a per-line field with line
     *             {@code < 0} is {@link #ABSENT}
     */
    int offsetOf(final KeyField field, final int line) {
        if (perLine(field)) {
            if (line < 0 || line >= itemCount) {
                return ABSENT;
            }
            final int at = itemOffset(line);
            return at + (field == KeyField.SKU
                ? OrderDecoder.ItemsDecoder.skuEncodingOffset()
                : OrderDecoder.ItemsDecoder.categoryEncodingOffset());
        }
        return fieldOffset[field.ordinal()];
    }

    long itemQty(final int line) {
        return buffer.getInt(itemOffset(line) + OrderDecoder.ItemsDecoder.qtyEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
    }

    long itemUnitPrice(final int line) {
        return buffer.getLong(itemOffset(line) + OrderDecoder.ItemsDecoder.unitPriceEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
    }

    private int itemOffset(final int line) {
        return itemsBase + OrderDecoder.ItemsDecoder.HEADER_SIZE + line * itemBlockLength;
    }
}
