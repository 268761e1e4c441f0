package io.ringfence.engine.codec;

import com.fasterxml.jackson.core.io.SerializedString;
import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an inbound SBE event back as one JSON line in exactly the input format of DESIGN §4.1
 * (see {@link JsonEventParser}), optionally prefixed with the engine's {@code seq} and
 * {@code ingestTime} (the {@code journal} dump). Parsing the line again with the same
 * {@code clientSeq} gives the same SBE bytes.
 *
 * <ul>
 *   <li>Field order is fixed per type: {@code seq ingestTime} (when given), {@code type time}, the
 *       entity's ids, then the other fields in the order of the §4.1 examples.</li>
 *   <li>Money is a decimal string in the currency's digits; time is ISO-8601 UTC; empty optional ids,
 *       an unspecified channel, an absent label and an empty item list are left out; channel is
 *       written in lower case, other enumerations in upper case.</li>
 *   <li>{@code clientSeq} is not written: it is the caller's line number or sequence, passed to
 *       the parser separately.</li>
 * </ul>
 * Not thread-safe; reuses one generator and one line buffer.
 */
public final class JsonEventWriter {
    private static final SerializedString TYPE_ORDER = new SerializedString("order");
    private static final SerializedString TYPE_PAYMENT = new SerializedString("payment");
    private static final SerializedString TYPE_ORDER_STATUS = new SerializedString("orderStatus");
    private static final SerializedString TYPE_INVENTORY = new SerializedString("inventory");
    private static final SerializedString TYPE_ACTIVITY = new SerializedString("activity");

    private static final SerializedString INGEST_TIME = new SerializedString("ingestTime");
    private static final SerializedString CLIENT_SEQ = new SerializedString("clientSeq");
    private static final SerializedString CLIENT = new SerializedString("client");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString ORDER_ID = new SerializedString("orderId");
    private static final SerializedString PAYMENT_ID = new SerializedString("paymentId");
    private static final SerializedString USER_ID = new SerializedString("userId");
    private static final SerializedString MERCHANT_ID = new SerializedString("merchantId");
    private static final SerializedString AMOUNT = new SerializedString("amount");
    private static final SerializedString CURRENCY = new SerializedString("currency");
    private static final SerializedString COUNTRY = new SerializedString("country");
    private static final SerializedString IP = new SerializedString("ip");
    private static final SerializedString DEVICE_ID = new SerializedString("deviceId");
    private static final SerializedString INSTRUMENT_ID = new SerializedString("instrumentId");
    private static final SerializedString CHANNEL = new SerializedString("channel");
    private static final SerializedString LABEL = new SerializedString("label");
    private static final SerializedString ITEMS = new SerializedString("items");
    private static final SerializedString SKU = new SerializedString("sku");
    private static final SerializedString QTY = new SerializedString("qty");
    private static final SerializedString UNIT_PRICE = new SerializedString("unitPrice");
    private static final SerializedString CATEGORY = new SerializedString("category");
    private static final SerializedString RESULT = new SerializedString("result");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString WAREHOUSE = new SerializedString("warehouse");
    private static final SerializedString DELTA = new SerializedString("delta");
    private static final SerializedString LEVEL = new SerializedString("level");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString SESSION_ID = new SerializedString("sessionId");

    private static final int ID = Ids.MAX_ID_BYTES;

    private final JsonLine line = new JsonLine();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderStatusDecoder orderStatus = new OrderStatusDecoder();
    private final InventoryDecoder inventory = new InventoryDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();

    /**
     * Writes the event whose SBE message header is at {@code offset}, as one line with its newline.
     *
     * @throws IllegalArgumentException when the message is not an inbound event of this schema
     */
    public void write(final DirectBuffer buffer, final int offset, final OutputStream out) throws IOException {
        write(buffer, offset, false, 0, 0, -1, null, out);
    }

    /** As {@link #write(DirectBuffer, int, OutputStream)}, prefixed with {@code "seq"} and {@code "ingestTime"}. */
    public void write(final DirectBuffer buffer, final int offset, final long seq, final long ingestTimeMicros,
                      final OutputStream out) throws IOException {
        write(buffer, offset, true, seq, ingestTimeMicros, -1, null, out);
    }

    /**
     * As {@link #write(DirectBuffer, int, long, long, OutputStream)}, with the {@code "clientSeq"} it was sent
     * under (a gateway client's sequence; the input line for a file), to match a client's answers.
     */
    public void write(final DirectBuffer buffer, final int offset, final long seq, final long ingestTimeMicros,
                      final long clientSeq, final OutputStream out) throws IOException {
        write(buffer, offset, true, seq, ingestTimeMicros, clientSeq, null, out);
    }

    /**
     * As {@link #write(DirectBuffer, int, long, long, long, OutputStream)}, with the {@code "client"}
     * that sent it after {@code clientSeq} (a gateway client's id; null: none, as for a file's events).
     */
    public void write(final DirectBuffer buffer, final int offset, final long seq, final long ingestTimeMicros,
                      final long clientSeq, final String client, final OutputStream out) throws IOException {
        write(buffer, offset, true, seq, ingestTimeMicros, clientSeq, client, out);
    }

    /** The line as a string without its newline (allocates; for tools and tests). */
    public String toJson(final DirectBuffer buffer, final int offset) {
        return JsonLine.toText(out -> write(buffer, offset, out));
    }

    private void write(final DirectBuffer buffer, final int offset, final boolean prefix, final long seq,
                       final long ingestTimeMicros, final long clientSeq, final String client, final OutputStream out)
            throws IOException {
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            throw new IllegalArgumentException("not a ringfence message: schema id " + header.schemaId());
        }
        final int templateId = header.templateId();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        if (templateId < OrderDecoder.TEMPLATE_ID || templateId > ActivityDecoder.TEMPLATE_ID) {
            throw new IllegalArgumentException("not an inbound event: template id " + templateId);
        }
        line.beginBare();
        if (prefix) {
            line.number(JsonLine.SEQ, seq);
            line.time(INGEST_TIME, ingestTimeMicros);
            if (clientSeq >= 0) {
                line.number(CLIENT_SEQ, clientSeq);
            }
            if (client != null) {
                line.string(CLIENT, client);
            }
        }
        switch (templateId) {
            case OrderDecoder.TEMPLATE_ID:
                order(order.wrap(buffer, body, blockLength, version));
                break;
            case PaymentDecoder.TEMPLATE_ID:
                payment(payment.wrap(buffer, body, blockLength, version));
                break;
            case OrderStatusDecoder.TEMPLATE_ID:
                orderStatus(orderStatus.wrap(buffer, body, blockLength, version));
                break;
            case InventoryDecoder.TEMPLATE_ID:
                inventory(inventory.wrap(buffer, body, blockLength, version));
                break;
            default:
                activity(activity.wrap(buffer, body, blockLength, version));
                break;
        }
        line.end(out);
    }

    private void type(final SerializedString type, final long eventTime) throws IOException {
        line.gen().writeFieldName(JsonLine.TYPE);
        line.gen().writeString(type);
        line.time(TIME, eventTime);
    }

    private void order(final OrderDecoder d) throws IOException {
        type(TYPE_ORDER, d.eventTime());
        d.getOrderId(line.field, 0);
        line.padded(ORDER_ID, ID, false);
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, false);
        final int digits = currency(d.currency(0), d.currency(1), d.currency(2));
        line.money(AMOUNT, d.amount(), digits);
        line.padded(CURRENCY, 3, false);
        d.getCountry(line.field, 0);
        line.padded(COUNTRY, ID, true);
        d.getIp(line.field, 0);
        line.padded(IP, OrderDecoder.ipLength(), true);
        d.getDeviceId(line.field, 0);
        line.padded(DEVICE_ID, ID, true);
        d.getInstrumentId(line.field, 0);
        line.padded(INSTRUMENT_ID, ID, true);
        d.getMerchantId(line.field, 0);
        line.padded(MERCHANT_ID, ID, true);
        final Channel channel = d.channel();
        if (channel != Channel.UNSPECIFIED && channel != Channel.NULL_VAL) {
            line.string(CHANNEL, EventRules.CHANNELS[channel.value() - 1]);
        }
        label(d.label());
        final OrderDecoder.ItemsDecoder items = d.items();
        if (items.count() > 0) {
            line.gen().writeFieldName(ITEMS);
            line.gen().writeStartArray();
            while (items.hasNext()) {
                items.next();
                line.gen().writeStartObject();
                items.getSku(line.field, 0);
                line.padded(SKU, ID, false);
                line.number(QTY, items.qty());
                line.money(UNIT_PRICE, items.unitPrice(), digits);
                items.getCategory(line.field, 0);
                line.padded(CATEGORY, ID, true);
                line.gen().writeEndObject();
            }
            line.gen().writeEndArray();
        }
    }

    private void payment(final PaymentDecoder d) throws IOException {
        type(TYPE_PAYMENT, d.eventTime());
        d.getPaymentId(line.field, 0);
        line.padded(PAYMENT_ID, ID, false);
        d.getOrderId(line.field, 0);
        line.padded(ORDER_ID, ID, true);
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, true);
        d.getInstrumentId(line.field, 0);
        line.padded(INSTRUMENT_ID, ID, true);
        final int digits = currency(d.currency(0), d.currency(1), d.currency(2));
        line.money(AMOUNT, d.amount(), digits);
        line.padded(CURRENCY, 3, false);
        if (d.result() != io.ringfence.sbe.PaymentResult.NULL_VAL) {
            line.string(RESULT, d.result().name());
        }
        label(d.label());
    }

    private void orderStatus(final OrderStatusDecoder d) throws IOException {
        type(TYPE_ORDER_STATUS, d.eventTime());
        d.getOrderId(line.field, 0);
        line.padded(ORDER_ID, ID, false);
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, true);
        if (d.status() != io.ringfence.sbe.OrderState.NULL_VAL) {
            line.string(STATUS, d.status().name());
        }
    }

    private void inventory(final InventoryDecoder d) throws IOException {
        type(TYPE_INVENTORY, d.eventTime());
        d.getSku(line.field, 0);
        line.padded(SKU, ID, false);
        d.getWarehouse(line.field, 0);
        line.padded(WAREHOUSE, ID, true);
        line.number(d.mode() == InventoryMode.LEVEL ? LEVEL : DELTA, d.quantity());
    }

    private void activity(final ActivityDecoder d) throws IOException {
        type(TYPE_ACTIVITY, d.eventTime());
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, false);
        if (d.kind() != io.ringfence.sbe.ActivityKind.NULL_VAL) {
            line.string(KIND, d.kind().name());
        }
        d.getSessionId(line.field, 0);
        line.padded(SESSION_ID, ID, true);
        d.getSku(line.field, 0);
        line.padded(SKU, ID, true);
        d.getIp(line.field, 0);
        line.padded(IP, ActivityDecoder.ipLength(), true);
        d.getDeviceId(line.field, 0);
        line.padded(DEVICE_ID, ID, true);
    }

    /** Reads the currency code into the line's field scratch and returns its digits. */
    private int currency(final byte b0, final byte b1, final byte b2) {
        line.field[0] = b0;
        line.field[1] = b1;
        line.field[2] = b2;
        return Currencies.fractionDigits(b0, b1, b2);
    }

    private void label(final byte label) throws IOException {
        if (label != OrderDecoder.labelNullValue()) {
            line.number(LABEL, label);
        }
    }
}
