package io.ringfence.engine.codec;

import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.model.Money;
import io.ringfence.engine.model.StockUnits;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.RejectCode;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks one inbound SBE event (Order, Payment, OrderStatus, Inventory, Activity; message header
 * included) against the value rules {@link JsonEventParser} applies to JSON Lines (DESIGN §4.1),
 * so a client of the binary gateway can put into the journal nothing a JSON line could not. The
 * rules and their words are shared with the parser through {@link EventRules}: every message
 * the parser produces is valid here, and a value both can express is refused by both with the
 * same code and, where the value reads the same, the same reason.
 *
 * <pre>
 *   if (validator.validate(buffer, offset, length) != InboundValidator.VALID) {
 *       reject(validator.code(), validator.reason());   // never journaled
 *   }
 * </pre>
 *
 * <h2>What is checked, in this order (the parser's order), first problem wins</h2>
 * <ol>
 *   <li>Shape: the header's schema id and version, a template that is one of the five inbound
 *       events (else UNKNOWN_TYPE), a root block at least the schema's, the {@code items} group
 *       and nothing else filling {@code length} exactly (else MALFORMED). The gateway's frame
 *       layer checks the same; it is repeated here so no input can make this class read outside
 *       the message.</li>
 *   <li>{@code eventTime} within the times taken, after the epoch up to 2106 ({@link EventRules#MIN_EVENT_TIME});
 *       0, the epoch itself, is what a client that never set the field sends: BAD_TIME.</li>
 *   <li>Ids (36-byte, NUL padded): well-formed UTF-8, no control characters, nothing but NUL after
 *       the first NUL (BAD_VALUE); a required id may not be empty (MISSING_FIELD).</li>
 *   <li>{@code currency}: a known ISO-4217 code (UNKNOWN_CURRENCY; all NUL is MISSING_FIELD).
 *       {@code amount} &gt; 0, {@code unitPrice} &ge; 0, each and an item line's {@code qty × unitPrice} at most 10^15
 *       minor units (BAD_VALUE).</li>
 *   <li>Enumerations: a valid value; SBE's null value (255) of a required one is MISSING_FIELD,
 *       any other invalid value BAD_VALUE. {@code channel} may be 0 (unspecified).</li>
 *   <li>{@code label} -1 (absent), 0 or 1; {@code ip} empty or IPv4/IPv6 text ({@link IpText}),
 *       NUL padded; item {@code qty} not zero; inventory {@code quantity} &ge; 0 in mode LEVEL.</li>
 *   <li>At most {@link #maxItems()} item lines and {@link #maxMessageBytes()} bytes: TOO_LARGE.</li>
 * </ol>
 * Reasons name the field by its SBE name ({@code eventTime}, {@code quantity}, {@code mode};
 * every other field has the same name in JSON), as {@code items[2].sku} inside item line 2.
 *
 * <p>Allocation-free when the message is valid: flyweight decoders, fixed fields checked in
 * place. A reject builds its reason text. Not thread-safe: one instance per thread.
 */
public final class InboundValidator {
    /** The earliest event time taken, as text (see {@code EventRules}): converters skip rows outside the range. */
    public static final String EARLIEST_EVENT_TIME = EventRules.EARLIEST_TIME_TEXT;
    /** The latest event time taken, as text. */
    public static final String LATEST_EVENT_TIME = EventRules.LATEST_TIME_TEXT;

    /** Whether an event time of {@code micros} (epoch microseconds, UTC) is taken by the engine, from JSON or the wire. */
    public static boolean takesEventTime(final long micros) {
        return micros != EventRules.UNSET_TIME && EventRules.isValidEventTime(micros);
    }

    /** {@link #validate} result for a valid message. */
    public static final int VALID = 0;

    private static final int NULL_ENUM = 255;
    private static final int GROUP_HEADER = OrderDecoder.ItemsDecoder.sbeHeaderSize();
    private static final int ID = OrderDecoder.orderIdLength();
    private static final int IP = OrderDecoder.ipLength();

    private final int maxMessageBytes;
    private final int maxItems;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderStatusDecoder orderStatus = new OrderStatusDecoder();
    private final InventoryDecoder inventory = new InventoryDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    private final PaddedText text = new PaddedText();
    private final AsciiView ascii = new AsciiView();

    private DirectBuffer buffer;
    private String type;
    private RejectCode code;
    private String reason;

    /** Validates with the parser's default message limit ({@link JsonEventParser#DEFAULT_MAX_MESSAGE_BYTES}). */
    public InboundValidator() {
        this(JsonEventParser.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** @param maxMessageBytes largest message accepted, header included; use the parser's limit */
    public InboundValidator(final int maxMessageBytes) {
        if (maxMessageBytes < EventRules.minMessageBytes()) {
            throw new IllegalArgumentException("maxMessageBytes must be at least " + EventRules.minMessageBytes()
                + " (an order without items), got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxItems = EventRules.maxItems(maxMessageBytes);
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Most item lines an order may have (as {@link JsonEventParser#maxItems()} for the same limit). */
    public int maxItems() {
        return maxItems;
    }

    /**
     * Checks the message {@code buffer[offset, offset + length)}, header first. Reads only inside it.
     *
     * @return {@link #VALID}, or the value of the {@link RejectCode} of the first problem (also
     *         {@link #code()}, with {@link #reason()})
     */
    public int validate(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.type = null;
        this.code = null;
        this.reason = null;
        if (!shape(offset, length)) {
            return code.value();
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        final boolean valid;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                valid = order(order.wrap(buffer, body, blockLength, version));
                break;
            case PaymentDecoder.TEMPLATE_ID:
                valid = payment(payment.wrap(buffer, body, blockLength, version));
                break;
            case OrderStatusDecoder.TEMPLATE_ID:
                valid = orderStatus(orderStatus.wrap(buffer, body, blockLength, version));
                break;
            case InventoryDecoder.TEMPLATE_ID:
                valid = inventory(inventory.wrap(buffer, body, blockLength, version));
                break;
            default:
                valid = activity(activity.wrap(buffer, body, blockLength, version));
                break;
        }
        if (valid && length > maxMessageBytes) {
            fail(RejectCode.TOO_LARGE, "the message is " + length + " bytes, the maximum is " + maxMessageBytes);
        }
        return code == null ? VALID : code.value();
    }

    /** The reject code of the last {@link #validate}, or {@code null} when it was valid. */
    public RejectCode code() {
        return code;
    }

    /** Why the last message was refused, naming the field; {@code null} when it was valid. */
    public String reason() {
        return reason;
    }

    private boolean shape(final int offset, final int length) {
        if (offset < 0 || length < MessageHeaderDecoder.ENCODED_LENGTH || length > buffer.capacity() - offset) {
            return fail(RejectCode.MALFORMED, "the message is " + length + " bytes at offset " + offset
                + " of a " + buffer.capacity() + "-byte buffer; it needs at least its "
                + MessageHeaderDecoder.ENCODED_LENGTH + "-byte header inside the buffer");
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            return fail(RejectCode.UNKNOWN_SCHEMA, "schema id " + header.schemaId() + " is not ringfence's ("
                + MessageHeaderDecoder.SCHEMA_ID + ")");
        }
        if (header.version() > MessageHeaderDecoder.SCHEMA_VERSION) {
            return fail(RejectCode.UNSUPPORTED_VERSION, "schema version " + header.version() + " is newer than "
                + MessageHeaderDecoder.SCHEMA_VERSION);
        }
        type = EventRules.typeOf(header.templateId());
        if (type == null) {
            return fail(RejectCode.UNKNOWN_TYPE, "template id " + header.templateId() + " is not an inbound event (expected "
                + OrderDecoder.TEMPLATE_ID + "-" + ActivityDecoder.TEMPLATE_ID + ": " + EventRules.TYPES + ")");
        }
        final int bodyLength = length - MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int schemaBlockLength = schemaBlockLength(header.templateId());
        if (blockLength < schemaBlockLength || blockLength > bodyLength) {
            return fail(RejectCode.MALFORMED, "block length " + blockLength + " is not between the schema's "
                + schemaBlockLength + " and the " + bodyLength + " bytes after the header");
        }
        long end = blockLength;
        if (header.templateId() == OrderDecoder.TEMPLATE_ID) {
            if (end + GROUP_HEADER > bodyLength) {
                return fail(RejectCode.MALFORMED, "'items' group header does not fit in the message");
            }
            final int at = offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
            final int entryLength = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xffff;
            final int count = buffer.getShort(at + 2, ByteOrder.LITTLE_ENDIAN) & 0xffff;
            if (count > 0 && entryLength < OrderDecoder.ItemsDecoder.sbeBlockLength()) {
                return fail(RejectCode.MALFORMED, "'items' entry length " + entryLength + " is less than the schema's "
                    + OrderDecoder.ItemsDecoder.sbeBlockLength());
            }
            end += GROUP_HEADER + (long) entryLength * count;
        }
        if (end != bodyLength) {
            return fail(RejectCode.MALFORMED, "the body is " + end + " bytes by its header and groups, but "
                + bodyLength + " bytes follow the header");
        }
        return true;
    }

    private static int schemaBlockLength(final int templateId) {
        switch (templateId) {
            case OrderDecoder.TEMPLATE_ID: return OrderDecoder.BLOCK_LENGTH;
            case PaymentDecoder.TEMPLATE_ID: return PaymentDecoder.BLOCK_LENGTH;
            case OrderStatusDecoder.TEMPLATE_ID: return OrderStatusDecoder.BLOCK_LENGTH;
            case InventoryDecoder.TEMPLATE_ID: return InventoryDecoder.BLOCK_LENGTH;
            default: return ActivityDecoder.BLOCK_LENGTH;
        }
    }

    private boolean order(final OrderDecoder d) {
        final int at = d.offset();
        final boolean valid = time(d.eventTime())
            && id(at + OrderDecoder.orderIdEncodingOffset(), "orderId", -1, true)
            && id(at + OrderDecoder.userIdEncodingOffset(), "userId", -1, true)
            && money(at + OrderDecoder.currencyEncodingOffset(), d.amount(), "amount", -1, EventRules.AMOUNT_SIGN)
            && id(at + OrderDecoder.merchantIdEncodingOffset(), "merchantId", -1, false)
            && id(at + OrderDecoder.countryEncodingOffset(), "country", -1, false)
            && ip(at + OrderDecoder.ipEncodingOffset())
            && id(at + OrderDecoder.deviceIdEncodingOffset(), "deviceId", -1, false)
            && id(at + OrderDecoder.instrumentIdEncodingOffset(), "instrumentId", -1, false)
            && channel(d.channelRaw())
            && label(d.label());
        return valid && items(d, at + OrderDecoder.currencyEncodingOffset());
    }

    private boolean items(final OrderDecoder d, final int currencyAt) {
        final OrderDecoder.ItemsDecoder items = d.items();
        final int count = items.count();
        if (count > maxItems) {
            return fail(RejectCode.TOO_LARGE, EventRules.tooManyItems(maxItems, maxMessageBytes));
        }
        for (int i = 0; i < count; i++) {
            final int at = d.limit();
            items.next();
            if (!id(at + OrderDecoder.ItemsDecoder.skuEncodingOffset(), "sku", i, true)) {
                return false;
            }
            if (!EventRules.isValidQty(items.qty())) {
                return fail(RejectCode.BAD_VALUE, EventRules.qtyZero(i));
            }
            if (!money(currencyAt, items.unitPrice(), "unitPrice", i, EventRules.UNIT_PRICE_SIGN)
                || !id(at + OrderDecoder.ItemsDecoder.categoryEncodingOffset(), "category", i, false)) {
                return false;
            }
            if (!EventRules.isLineAmountInRange(items.qty(), items.unitPrice())) {
                return fail(RejectCode.BAD_VALUE, EventRules.lineTooLarge(i, items.qty(), items.unitPrice(),
                        Currencies.fractionDigits(buffer.getByte(currencyAt), buffer.getByte(currencyAt + 1), buffer.getByte(currencyAt + 2))));
            }
        }
        return true;
    }

    private boolean payment(final PaymentDecoder d) {
        final int at = d.offset();
        return time(d.eventTime())
            && id(at + PaymentDecoder.paymentIdEncodingOffset(), "paymentId", -1, true)
            && money(at + PaymentDecoder.currencyEncodingOffset(), d.amount(), "amount", -1, EventRules.AMOUNT_SIGN)
            && choice(d.resultRaw(), "result", EventRules.RESULTS)
            && id(at + PaymentDecoder.orderIdEncodingOffset(), "orderId", -1, false)
            && id(at + PaymentDecoder.userIdEncodingOffset(), "userId", -1, false)
            && id(at + PaymentDecoder.instrumentIdEncodingOffset(), "instrumentId", -1, false)
            && label(d.label());
    }

    private boolean orderStatus(final OrderStatusDecoder d) {
        final int at = d.offset();
        return time(d.eventTime())
            && id(at + OrderStatusDecoder.orderIdEncodingOffset(), "orderId", -1, true)
            && choice(d.statusRaw(), "status", EventRules.STATES)
            && id(at + OrderStatusDecoder.userIdEncodingOffset(), "userId", -1, false);
    }

    private boolean inventory(final InventoryDecoder d) {
        final int at = d.offset();
        if (!time(d.eventTime())
            || !id(at + InventoryDecoder.skuEncodingOffset(), "sku", -1, true)
            || !id(at + InventoryDecoder.warehouseEncodingOffset(), "warehouse", -1, false)
            || !choice(d.modeRaw(), "mode", EventRules.INVENTORY_MODES)) {
            return false;
        }
        final long quantity = d.quantity();
        final boolean isLevel = d.modeRaw() == InventoryMode.LEVEL.value();
        final long min = isLevel ? EventRules.MIN_LEVEL : -StockUnits.MAX;
        if (quantity < min || quantity > StockUnits.MAX) {
            return fail(RejectCode.BAD_VALUE, EventRules.outOfRange("quantity", -1, min, StockUnits.MAX, Long.toString(quantity))
                + (isLevel ? " (mode LEVEL)" : " (mode DELTA)"));
        }
        return true;
    }

    private boolean activity(final ActivityDecoder d) {
        final int at = d.offset();
        return time(d.eventTime())
            && id(at + ActivityDecoder.userIdEncodingOffset(), "userId", -1, true)
            && choice(d.kindRaw(), "kind", EventRules.KINDS)
            && id(at + ActivityDecoder.sessionIdEncodingOffset(), "sessionId", -1, false)
            && id(at + ActivityDecoder.skuEncodingOffset(), "sku", -1, false)
            && ip(at + ActivityDecoder.ipEncodingOffset())
            && id(at + ActivityDecoder.deviceIdEncodingOffset(), "deviceId", -1, false);
    }

    private boolean time(final long micros) {
        if (micros == EventRules.UNSET_TIME) {
            return fail(RejectCode.BAD_TIME, "'eventTime' is 0, the epoch (" + EventRules.UNSET_TIME_TEXT + "): taken as not set;"
                + " an event's time is epoch microseconds after it");
        }
        if (EventRules.isValidEventTime(micros)) {
            return true;
        }
        return fail(RejectCode.BAD_TIME, "'eventTime' is " + micros + " microseconds (" + io.ringfence.engine.model.Times.format(micros)
            + "), outside the event times taken (" + EventRules.EARLIEST_TIME_TEXT + " to " + EventRules.LATEST_TIME_TEXT + ")");
    }

    /** A NUL-padded UTF-8 id at {@code at}. */
    private boolean id(final int at, final String field, final int item, final boolean required) {
        if (!text.scan(buffer, at, ID, true)) {
            return badText(at, field, item);
        }
        if (required && text.length == 0) {
            return fail(RejectCode.MISSING_FIELD, EventRules.emptyRequired(field, item, type));
        }
        return true;
    }

    private boolean ip(final int at) {
        if (!text.scan(buffer, at, IP, false)) {
            return badText(at, "ip", -1);
        }
        if (text.length > IpText.MAX_LENGTH) {
            return fail(RejectCode.BAD_VALUE, EventRules.ipTooLong(text.length));
        }
        if (text.length > 0 && !IpText.isValid(ascii.wrap(buffer, at, text.length))) {
            return fail(RejectCode.BAD_VALUE, EventRules.notAnIp(quoteBytes(at, text.length)));
        }
        return true;
    }

    private boolean badText(final int at, final String field, final int item) {
        return fail(RejectCode.BAD_VALUE, text.describe(buffer, at, field, item));
    }

    private static byte upper(final byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - 32) : b;
    }

    /** {@code currency} (3 ASCII letters at {@code currencyAt}) and an amount in its minor units. */
    private boolean money(final int currencyAt, final long minor, final String field, final int item, final Money.Sign sign) {
        final byte c0 = buffer.getByte(currencyAt);
        final byte c1 = buffer.getByte(currencyAt + 1);
        final byte c2 = buffer.getByte(currencyAt + 2);
        final int digits = Currencies.fractionDigits(c0, c1, c2);
        if (digits == Currencies.UNKNOWN) {
            if ((c0 | c1 | c2) == 0) {
                return fail(RejectCode.MISSING_FIELD, EventRules.missing("currency", -1, type));
            }
            if (Currencies.fractionDigits(upper(c0), upper(c1), upper(c2)) != Currencies.UNKNOWN) {
                return fail(RejectCode.UNKNOWN_CURRENCY, EventRules.unknownCurrency(quoteBytes(currencyAt, 3))
                        + ": the wire carries ISO-4217 codes upper case");
            }
            return fail(RejectCode.UNKNOWN_CURRENCY, EventRules.unknownCurrency(quoteBytes(currencyAt, 3)));
        }
        if (!EventRules.allows(sign, minor)) {
            return fail(RejectCode.BAD_VALUE, EventRules.badSign(field, item, sign, EventRules.quote(Money.format(minor, digits))));
        }
        if (minor > Money.MAX_MINOR || minor < -Money.MAX_MINOR) {
            return fail(RejectCode.BAD_VALUE, EventRules.tooLarge(field, item, EventRules.quote(Money.format(minor, digits)), digits));
        }
        return true;
    }

    /** A required enumeration: SBE's null value is a missing field, any other value not in {@code names} a bad one. */
    private boolean choice(final short raw, final String field, final String[] names) {
        if (EventRules.isEnumValue(raw, names)) {
            return true;
        }
        if (raw == NULL_ENUM) {
            return fail(RejectCode.MISSING_FIELD, EventRules.missing(field, -1, type));
        }
        return fail(RejectCode.BAD_VALUE, EventRules.notOneOf(field, names, raw + " (SBE values 1 to " + names.length + ")"));
    }

    /** {@code channel}: optional, 0 when unspecified. */
    private boolean channel(final short raw) {
        if (raw == 0 || EventRules.isEnumValue(raw, EventRules.CHANNELS)) {
            return true;
        }
        return fail(RejectCode.BAD_VALUE, EventRules.notOneOf("channel", EventRules.CHANNELS,
            raw + " (SBE values 1 to " + EventRules.CHANNELS.length + ", or 0 when unspecified)"));
    }

    private boolean label(final byte label) {
        if (EventRules.isValidLabel(label)) {
            return true;
        }
        return fail(RejectCode.BAD_VALUE, EventRules.badLabel(Byte.toString(label)) + " (" + EventRules.LABEL_ABSENT + " when absent)");
    }

    /** Bytes of a char field quoted for a reason: printable ASCII as is, anything else as {@code \xNN}. */
    private String quoteBytes(final int at, final int length) {
        final StringBuilder sb = new StringBuilder(length + 8);
        for (int i = 0; i < length; i++) {
            final int b = buffer.getByte(at + i) & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        return EventRules.quote(sb.toString());
    }

    private boolean fail(final RejectCode code, final String reason) {
        this.code = code;
        this.reason = reason;
        return false;
    }
}
