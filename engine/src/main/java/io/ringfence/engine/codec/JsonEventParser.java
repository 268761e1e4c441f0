package io.ringfence.engine.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.ringfence.engine.codec.RawFields.Values;
import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.model.Money;
import io.ringfence.engine.model.StockUnits;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.sbe.RejectCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses one JSON Lines event (DESIGN §4.1) into its SBE message, or says exactly why not.
 *
 * <h2>Event types</h2>
 * Required fields in bold; every other listed field is optional. Fields not listed are ignored.
 * <table>
 *   <caption>Inbound event lines</caption>
 *   <tr><th>type</th><th>fields</th><th>SBE</th></tr>
 *   <tr><td>order</td><td><b>time orderId userId amount currency</b> merchantId country ip deviceId
 *       instrumentId channel label items[<b>sku</b> qty unitPrice category]</td><td>Order</td></tr>
 *   <tr><td>payment</td><td><b>time paymentId amount currency result</b> orderId userId instrumentId
 *       label</td><td>Payment</td></tr>
 *   <tr><td>orderStatus</td><td><b>time orderId status</b> userId</td><td>OrderStatus</td></tr>
 *   <tr><td>inventory</td><td><b>time sku</b>, exactly one of <b>delta level</b>; warehouse</td>
 *       <td>Inventory</td></tr>
 *   <tr><td>activity</td><td><b>time userId kind</b> sessionId sku (alias item) ip deviceId</td>
 *       <td>Activity</td></tr>
 * </table>
 * <pre>
 * {"type":"order","time":"2011-12-09T12:50:00Z","orderId":"536365","userId":"17850","amount":"139.12","currency":"GBP","country":"United Kingdom","ip":"10.1.2.3","deviceId":"d-77","instrumentId":"card-9","merchantId":"shop-1","channel":"web","label":0,"items":[{"sku":"85123A","qty":6,"unitPrice":"2.55","category":"home"}]}
 * {"type":"payment","time":"2011-12-09T12:50:02Z","paymentId":"p-1","orderId":"536365","userId":"17850","instrumentId":"card-9","amount":"139.12","currency":"GBP","result":"AUTHORIZED","label":0}
 * {"type":"orderStatus","time":"2011-12-10T09:00:00Z","orderId":"536365","userId":"17850","status":"SHIPPED"}
 * {"type":"inventory","time":"2011-12-09T12:50:00Z","sku":"85123A","warehouse":"w1","delta":-6}
 * {"type":"inventory","time":"2011-12-09T06:00:00Z","sku":"85123A","warehouse":"w1","level":120}
 * {"type":"activity","time":"2011-12-09T12:40:00Z","userId":"17850","kind":"SIGNUP","sessionId":"s-5","ip":"10.1.2.3","deviceId":"d-77"}
 * {"type":"activity","time":"2011-12-09T12:45:00Z","userId":"17850","kind":"VIEW","sku":"85123A"}
 * </pre>
 *
 * <h2>Values</h2>
 * <ul>
 *   <li>{@code type}: one of the names above in any ASCII letter case ({@code ORDER}, {@code OrderStatus}), as the
 *       enumerations (until 2026-12-07 case-sensitive: {@code "ORDER"} was an unknown type). {@code time}: ISO-8601 with
 *       {@code Z} or an offset, converted to UTC microseconds (see {@link io.ringfence.engine.model.Times}).</li>
 *   <li>Identifiers ({@code orderId paymentId userId merchantId deviceId instrumentId sessionId sku
 *       warehouse category country}): a JSON string, or a JSON integer taken by its literal text
 *       ({@code 536365} is the id {@code "536365"}); at most 36 UTF-8 bytes; no control characters.
 *       {@code ""} and {@code null} mean absent; a required id may be neither.</li>
 *   <li>Money ({@code amount}, {@code unitPrice}): a decimal string or a JSON number in major units
 *       of {@code currency}, exact (see {@link Money}); {@code amount} &gt; 0, {@code unitPrice} &ge; 0.
 *       {@code currency}: an ISO-4217 code with minor units, upper case.</li>
 *   <li>Enumerations, compared ignoring case: {@code channel} web app pos phone marketplace other
 *       (absent: unspecified); {@code result} AUTHORIZED DECLINED FAILED CAPTURED REFUNDED CHARGEBACK;
 *       {@code status} CREATED PAID SHIPPED DELIVERED CANCELLED REFUNDED; {@code kind} SIGNUP LOGIN
 *       VIEW ADD_TO_CART.</li>
 *   <li>{@code label}: the JSON integer 0 or 1. {@code ip}: IPv4 or IPv6 text, at most 45 chars.</li>
 *   <li>Items: {@code sku} required; {@code qty} a non-zero 32-bit integer, default 1 (negative for
 *       returns); {@code unitPrice} default 0 (unknown); {@code currency}, if given, must equal the order's.</li>
 *   <li>Inventory: {@code delta} any 64-bit integer; {@code level} &ge; 0.</li>
 *   <li>Integers ({@code qty delta level label}) must be JSON integers, not strings or {@code 6.0}.</li>
 *   <li>{@code null} is the same as leaving a field out. A known field given twice is malformed.</li>
 * </ul>
 *
 * <h2>Rejects</h2>
 * The line must be exactly one JSON object (whitespace around it is fine). A refused line leaves
 * the destination buffer untouched; {@link ParseResult} carries the {@link RejectCode} (MALFORMED,
 * UNKNOWN_TYPE, MISSING_FIELD, BAD_VALUE, UNKNOWN_CURRENCY, BAD_TIME, ID_TOO_LONG, TOO_LARGE) and a
 * reason naming the field and quoting the value (quoted values are cut at 40 chars). Fields are
 * checked in a fixed order per type, so the same line always gets the same reason.
 *
 * <p>Not thread-safe: use one parser per thread. Allocation per line is Jackson's parser and
 * the field texts; the message itself is encoded into a reused scratch buffer, then copied.
 */
public final class JsonEventParser {
    /** Default limit on one encoded message, header included. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_536;
    /** Returned by {@link #parse} for a refused line. */
    public static final int REJECTED = -1;
    /** Smallest limit accepted: an order without items. */
    public static final int MIN_MAX_MESSAGE_BYTES = EventRules.minMessageBytes();

    private static final JsonFactory FACTORY = new JsonFactory();

    private final int maxMessageBytes;
    private final int maxItems;
    private final RawFields raw;
    private final FieldReader reader = new FieldReader();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderEncoder order = new OrderEncoder();
    private final PaymentEncoder payment = new PaymentEncoder();
    private final OrderStatusEncoder orderStatus = new OrderStatusEncoder();
    private final InventoryEncoder inventory = new InventoryEncoder();
    private final ActivityEncoder activity = new ActivityEncoder();
    private int templateId;

    public JsonEventParser() {
        this(DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param maxMessageBytes largest encoded message accepted (header included); an order with
     *                        more items than fit is refused as TOO_LARGE
     */
    public JsonEventParser(final int maxMessageBytes) {
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be at least " + MIN_MAX_MESSAGE_BYTES
                + " (an order without items), got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxItems = EventRules.maxItems(maxMessageBytes);
        this.raw = new RawFields(maxItems);
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Most item lines an order may have under this parser's message limit. */
    public int maxItems() {
        return maxItems;
    }

    /**
     * Parses one line and, when it is a valid event, writes its SBE message (header first) at
     * {@code bufferOffset}.
     *
     * @param line         UTF-8 bytes of the line (a trailing newline is fine)
     * @param offset       where the line starts in {@code line}
     * @param length       bytes in the line
     * @param lineNumber   reported back in {@code result} (for reject messages)
     * @param clientSeq    written to the message's {@code clientSeq} (the line number for files)
     * @param buffer       destination; untouched when the line is refused
     * @param bufferOffset where the message header goes
     * @param result       filled with the outcome
     * @return the encoded length (header included), or {@link #REJECTED}
     */
    public int parse(final byte[] line, final int offset, final int length, final long lineNumber, final long clientSeq,
                     final MutableDirectBuffer buffer, final int bufferOffset, final ParseResult result) {
        final int invalid = Utf8Bytes.firstInvalid(line, offset, length);
        if (invalid >= 0) {
            result.rejected(lineNumber, RejectCode.MALFORMED, Utf8Bytes.describe(line, offset, length, invalid));
            return REJECTED;
        }
        try (JsonParser parser = FACTORY.createParser(line, offset, length)) {
            raw.read(parser);
            final int encodedLength = encode(clientSeq);
            if (!buffer.isExpandable() && (long) bufferOffset + encodedLength > buffer.capacity()) {
                throw new RejectException(RejectCode.TOO_LARGE, "the message is " + encodedLength
                    + " bytes and does not fit the buffer (" + (buffer.capacity() - bufferOffset) + " bytes free)");
            }
            buffer.putBytes(bufferOffset, scratch, 0, encodedLength);
            result.accepted(lineNumber, templateId, encodedLength);
            return encodedLength;
        } catch (final RejectException e) {
            result.rejected(lineNumber, e.code(), e.getMessage());
        } catch (final JsonProcessingException e) {
            final int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            result.rejected(lineNumber, RejectCode.MALFORMED,
                "malformed JSON" + (column > 0 ? " at column " + column : "") + ": " + clean(e.getOriginalMessage()));
        } catch (final IOException e) {
            result.rejected(lineNumber, RejectCode.MALFORMED, "malformed JSON: " + clean(e.getMessage()));
        }
        return REJECTED;
    }

    /** Convenience for tools and tests: parses a line given as a string. */
    public int parse(final String line, final long lineNumber, final long clientSeq,
                     final MutableDirectBuffer buffer, final int bufferOffset, final ParseResult result) {
        final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length, lineNumber, clientSeq, buffer, bufferOffset, result);
    }

    private int encode(final long clientSeq) throws RejectException {
        final Values v = raw.top;
        if (!v.present(Field.TYPE)) {
            throw new RejectException(RejectCode.MISSING_FIELD, "missing required field 'type' (expected " + EventRules.TYPES + ")");
        }
        if (v.token(Field.TYPE) != JsonToken.VALUE_STRING) {
            throw FieldReader.bad("'type' must be a string, got " + Values.describe(v.token(Field.TYPE), v.text(Field.TYPE)));
        }
        final String given = v.text(Field.TYPE);
        final String type = EventRules.typeNamed(given); // any letter case, as the enumerations' values
        if (type == null) {
            throw new RejectException(RejectCode.UNKNOWN_TYPE, EventRules.unknownType(FieldReader.quote(given)));
        }
        reader.type(type);
        switch (type) {
            case EventRules.ORDER: return order(v, clientSeq);
            case EventRules.PAYMENT: return payment(v, clientSeq);
            case EventRules.ORDER_STATUS: return orderStatus(v, clientSeq);
            case EventRules.INVENTORY: return inventory(v, clientSeq);
            case EventRules.ACTIVITY: return activity(v, clientSeq);
            default:
                throw new IllegalStateException("a type name without its reader: " + type);
        }
    }

    private int order(final Values v, final long clientSeq) throws RejectException {
        final long time = reader.time(v);
        final OrderEncoder e = order.wrapAndApplyHeader(scratch, 0, header);
        templateId = OrderEncoder.TEMPLATE_ID;
        e.clientSeq(clientSeq).eventTime(time);
        e.putOrderId(reader.id(v, Field.ORDER_ID, -1, true), 0);
        e.putUserId(reader.id(v, Field.USER_ID, -1, true), 0);
        if (!v.present(Field.AMOUNT)) {
            throw reader.missing(Field.AMOUNT, -1);
        }
        final String currency = reader.currency(v);
        e.amount(reader.money(v, Field.AMOUNT, -1, currency, EventRules.AMOUNT_SIGN, true, 0));
        e.putCurrency((byte) currency.charAt(0), (byte) currency.charAt(1), (byte) currency.charAt(2));
        e.putMerchantId(reader.id(v, Field.MERCHANT_ID, -1, false), 0);
        e.putCountry(reader.id(v, Field.COUNTRY, -1, false), 0);
        e.putIp(reader.ip(v), 0);
        e.putDeviceId(reader.id(v, Field.DEVICE_ID, -1, false), 0);
        e.putInstrumentId(reader.id(v, Field.INSTRUMENT_ID, -1, false), 0);
        final int channel = reader.choice(v, Field.CHANNEL, EventRules.CHANNELS, false);
        e.channel(channel < 0 ? Channel.UNSPECIFIED : Channel.get(EventRules.sbeValue(channel)));
        e.label(label(v));
        items(v, e, currency);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private void items(final Values v, final OrderEncoder e, final String currency) throws RejectException {
        if (v.present(Field.ITEMS) && v.token(Field.ITEMS) != JsonToken.START_ARRAY) {
            throw FieldReader.bad("'items' must be an array, got " + Values.describe(v.token(Field.ITEMS), v.text(Field.ITEMS)));
        }
        if (raw.itemsOverflow()) {
            throw new RejectException(RejectCode.TOO_LARGE, EventRules.tooManyItems(maxItems, maxMessageBytes));
        }
        final int count = v.present(Field.ITEMS) ? raw.itemCount() : 0;
        final OrderEncoder.ItemsEncoder items = e.itemsCount(count);
        for (int i = 0; i < count; i++) {
            final Values item = raw.item(i);
            if (item.self != JsonToken.START_OBJECT) {
                throw FieldReader.bad("'items[" + i + "]' must be an object, got " + Values.describe(item.self, item.selfText));
            }
            items.next();
            items.putSku(reader.id(item, Field.SKU, i, true), 0);
            final int qty = (int) reader.integer(item, Field.QTY, i, Integer.MIN_VALUE, Integer.MAX_VALUE, false, EventRules.DEFAULT_QTY);
            if (!EventRules.isValidQty(qty)) {
                throw FieldReader.bad(EventRules.qtyZero(i));
            }
            items.qty(qty);
            if (item.present(Field.CURRENCY)) {
                final String itemCurrency = reader.string(item, Field.CURRENCY, i);
                if (!FieldReader.upperAscii(itemCurrency).equals(currency)) {
                    throw FieldReader.bad(FieldReader.name(Field.CURRENCY, i) + " is " + FieldReader.quote(itemCurrency)
                        + " but the order is in '" + currency + "'");
                }
            }
            final long unitPrice = reader.money(item, Field.UNIT_PRICE, i, currency, EventRules.UNIT_PRICE_SIGN, false, 0);
            items.unitPrice(unitPrice);
            items.putCategory(reader.id(item, Field.CATEGORY, i, false), 0);
            if (!EventRules.isLineAmountInRange(qty, unitPrice)) { // after the line's fields, in the wire validator's order
                throw FieldReader.bad(EventRules.lineTooLarge(i, qty, unitPrice, Currencies.fractionDigits(currency)));
            }
        }
    }

    private int payment(final Values v, final long clientSeq) throws RejectException {
        final long time = reader.time(v);
        final PaymentEncoder e = payment.wrapAndApplyHeader(scratch, 0, header);
        templateId = PaymentEncoder.TEMPLATE_ID;
        e.clientSeq(clientSeq).eventTime(time);
        e.putPaymentId(reader.id(v, Field.PAYMENT_ID, -1, true), 0);
        if (!v.present(Field.AMOUNT)) {
            throw reader.missing(Field.AMOUNT, -1);
        }
        final String currency = reader.currency(v);
        e.amount(reader.money(v, Field.AMOUNT, -1, currency, EventRules.AMOUNT_SIGN, true, 0));
        e.putCurrency((byte) currency.charAt(0), (byte) currency.charAt(1), (byte) currency.charAt(2));
        e.result(PaymentResult.get(EventRules.sbeValue(reader.choice(v, Field.RESULT, EventRules.RESULTS, true))));
        e.putOrderId(reader.id(v, Field.ORDER_ID, -1, false), 0);
        e.putUserId(reader.id(v, Field.USER_ID, -1, false), 0);
        e.putInstrumentId(reader.id(v, Field.INSTRUMENT_ID, -1, false), 0);
        e.label(label(v));
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int orderStatus(final Values v, final long clientSeq) throws RejectException {
        final long time = reader.time(v);
        final OrderStatusEncoder e = orderStatus.wrapAndApplyHeader(scratch, 0, header);
        templateId = OrderStatusEncoder.TEMPLATE_ID;
        e.clientSeq(clientSeq).eventTime(time);
        e.putOrderId(reader.id(v, Field.ORDER_ID, -1, true), 0);
        e.status(OrderState.get(EventRules.sbeValue(reader.choice(v, Field.STATUS, EventRules.STATES, true))));
        e.putUserId(reader.id(v, Field.USER_ID, -1, false), 0);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int inventory(final Values v, final long clientSeq) throws RejectException {
        final long time = reader.time(v);
        final InventoryEncoder e = inventory.wrapAndApplyHeader(scratch, 0, header);
        templateId = InventoryEncoder.TEMPLATE_ID;
        e.clientSeq(clientSeq).eventTime(time);
        e.putSku(reader.id(v, Field.SKU, -1, true), 0);
        e.putWarehouse(reader.id(v, Field.WAREHOUSE, -1, false), 0);
        final boolean delta = v.present(Field.DELTA);
        final boolean level = v.present(Field.LEVEL);
        if (delta && level) {
            throw FieldReader.bad("'delta' and 'level' are both given; an inventory event has exactly one of them");
        }
        if (!delta && !level) {
            throw new RejectException(RejectCode.MISSING_FIELD, "missing required field 'delta' or 'level' for type 'inventory'");
        }
        if (delta) {
            e.mode(InventoryMode.DELTA).quantity(reader.integer(v, Field.DELTA, -1, -StockUnits.MAX, StockUnits.MAX, true, 0));
        } else {
            e.mode(InventoryMode.LEVEL).quantity(reader.integer(v, Field.LEVEL, -1, EventRules.MIN_LEVEL, StockUnits.MAX, true, 0));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int activity(final Values v, final long clientSeq) throws RejectException {
        final long time = reader.time(v);
        final ActivityEncoder e = activity.wrapAndApplyHeader(scratch, 0, header);
        templateId = ActivityEncoder.TEMPLATE_ID;
        e.clientSeq(clientSeq).eventTime(time);
        e.putUserId(reader.id(v, Field.USER_ID, -1, true), 0);
        e.kind(ActivityKind.get(EventRules.sbeValue(reader.choice(v, Field.KIND, EventRules.KINDS, true))));
        e.putSessionId(reader.id(v, Field.SESSION_ID, -1, false), 0);
        if (v.present(Field.SKU) && v.present(Field.ITEM)) {
            throw FieldReader.bad("'sku' and its alias 'item' are both given; use one");
        }
        e.putSku(reader.id(v, v.present(Field.ITEM) ? Field.ITEM : Field.SKU, -1, false), 0);
        e.putIp(reader.ip(v), 0);
        e.putDeviceId(reader.id(v, Field.DEVICE_ID, -1, false), 0);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /** {@code label}: the JSON integer 0 or 1, or absent (SBE null value). */
    private static byte label(final Values v) throws RejectException {
        if (!v.present(Field.LABEL)) {
            return EventRules.LABEL_ABSENT;
        }
        final JsonToken token = v.token(Field.LABEL);
        final String text = v.text(Field.LABEL);
        if (token == JsonToken.VALUE_NUMBER_INT && ("0".equals(text) || "1".equals(text))) {
            return (byte) (text.charAt(0) - '0');
        }
        throw FieldReader.bad(EventRules.badLabel(Values.describe(token, text)
                + (token == JsonToken.VALUE_STRING && ("0".equals(text) || "1".equals(text))
                ? " (a string: write the number without quotes)" : "")));
    }

    /** Jackson's message without its source-location suffixes, on one line. */
    private static String clean(final String message) {
        if (message == null) {
            return "unreadable input";
        }
        String m = message;
        final int marker = m.indexOf(" (start marker at");
        if (marker >= 0) {
            m = m.substring(0, marker);
        }
        final int source = m.indexOf("\n at [Source");
        if (source >= 0) {
            m = m.substring(0, source);
        }
        // the parser's own switches are no advice to a sender (audit: "enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`")
        m = cut(m, ": enable `JsonReadFeature.");
        m = cut(m, " (not recognized as one since Feature");
        if (m.startsWith("Document nesting depth")) {
            m = "objects and arrays nested deeper than " + MAX_NESTING + " levels";
        }
        return m.replace('\n', ' ');
    }

    /** The parser's limit on nesting (its default): an event is two levels deep. */
    private static final int MAX_NESTING = com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_DEPTH;

    private static String cut(final String message, final String from) {
        final int at = message.indexOf(from);
        return at < 0 ? message : message.substring(0, at);
    }
}
