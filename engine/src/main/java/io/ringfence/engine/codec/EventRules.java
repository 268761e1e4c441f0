package io.ringfence.engine.codec;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.model.Money;
import io.ringfence.engine.model.Times;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderStatusEncoder;
import io.ringfence.sbe.PaymentEncoder;

/**
 * The value rules of an inbound event (DESIGN §4.1) and the words of their reject reasons, in one
 * place for both ways an event comes in: {@link JsonEventParser} (JSON Lines, through
 * {@link FieldReader}) and {@link InboundValidator} (SBE from the gateway). A rule that both
 * apply lives here, so the two cannot drift apart: what the parser can produce, the validator
 * accepts, and both refuse the same values with the same words.
 *
 * <p>Rules that the other model classes already own are used from there, not restated:
 * currencies ({@link io.ringfence.engine.model.Currencies}), IP text ({@link IpText}), id length
 * ({@link Ids#MAX_ID_BYTES}), time text ({@link Times}).
 */
final class EventRules {
    /** JSON {@code type} names, one per inbound SBE template (see {@link #typeOf}). */
    static final String ORDER = "order";
    static final String PAYMENT = "payment";
    static final String ORDER_STATUS = "orderStatus";
    static final String INVENTORY = "inventory";
    static final String ACTIVITY = "activity";
    static final String TYPES = String.join(", ", ORDER, PAYMENT, ORDER_STATUS, INVENTORY, ACTIVITY);
    private static final String[] TYPE_NAMES = {ORDER, PAYMENT, ORDER_STATUS, INVENTORY, ACTIVITY};

    /**
     * Names of each enumeration, in SBE value order: the name at index {@code i} is SBE value
     * {@code i + 1}. JSON compares them ignoring case; SBE value 0 exists only for
     * {@code Channel.UNSPECIFIED}, which is what an order without {@code channel} gets.
     */
    static final String[] CHANNELS = {"web", "app", "pos", "phone", "marketplace", "other"};
    static final String[] RESULTS = {"AUTHORIZED", "DECLINED", "FAILED", "CAPTURED", "REFUNDED", "CHARGEBACK"};
    static final String[] STATES = {"CREATED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED"};
    static final String[] KINDS = {"SIGNUP", "LOGIN", "VIEW", "ADD_TO_CART"};
    /** SBE {@code InventoryMode}; JSON spells it by which of {@code delta} and {@code level} is given. */
    static final String[] INVENTORY_MODES = {"DELTA", "LEVEL"};

    /** Sign rule of an order's or payment's {@code amount}. */
    static final Money.Sign AMOUNT_SIGN = Money.Sign.POSITIVE;
    /** Sign rule of an item's {@code unitPrice} (0 means unknown). */
    static final Money.Sign UNIT_PRICE_SIGN = Money.Sign.NON_NEGATIVE;
    /** Smallest inventory {@code level}; the largest, and a {@code delta}'s bound either way, is {@code StockUnits.MAX}. */
    static final long MIN_LEVEL = 0;
    /** An item's quantity when JSON leaves it out; a quantity is never zero (negative is a return). */
    static final int DEFAULT_QTY = 1;
    /** SBE {@code label} when absent; otherwise it is 0 or 1. */
    static final byte LABEL_ABSENT = OrderEncoder.labelNullValue();

    /**
     * The earliest and latest event time taken, wire and text alike: after the epoch (0 is a time never set, see
     * {@link #UNSET_TIME}) up to the last second the fraud stage's 32-bit sighting times hold. Before 2026-12-05 every
     * time ISO-8601 text can give was taken (years 0000 to 9999 with offsets up to ±18:00): a time before 1970 read
     * wrong device and ip sharing features (its sightings clamped to 1970 and taken as expired), and one whose UTC year
     * left 0000-9999 was written back (journal dump, outputs) as text the parser refuses (event-time audit).
     */
    static final String EARLIEST_TIME_TEXT = "1970-01-01T00:00:00.000001Z";
    static final String LATEST_TIME_TEXT = "2106-02-07T06:28:15.999999Z";
    static final long MIN_EVENT_TIME = Times.parseMicros("time", EARLIEST_TIME_TEXT);
    static final long MAX_EVENT_TIME = Times.parseMicros("time", LATEST_TIME_TEXT);
    /**
     * An event time of 0, the epoch itself, is refused: on the wire it is a field never set (a zeroed buffer), and
     * accepted it put a 1970 order into the journal that fell overdue at once (outside-client trial). Any other time
     * in the range stands.
     */
    static final long UNSET_TIME = 0;
    static final String UNSET_TIME_TEXT = "1970-01-01T00:00:00Z";

    /** Quoted values are cut at this many characters. */
    static final int MAX_QUOTED = 40;

    private EventRules() {
    }

    /** Most item lines an order may have in an encoded message of {@code maxMessageBytes} (header included). */
    static int maxItems(final int maxMessageBytes) {
        return Math.min(OrderEncoder.ItemsEncoder.countMaxValue(),
            (maxMessageBytes - minMessageBytes()) / OrderEncoder.ItemsEncoder.sbeBlockLength());
    }

    /** An order without items: the smallest message limit that makes sense. */
    static int minMessageBytes() {
        return MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.BLOCK_LENGTH + OrderEncoder.ItemsEncoder.sbeHeaderSize();
    }

    /** The JSON {@code type} of an inbound SBE template, or {@code null} for any other template. */
    static String typeOf(final int templateId) {
        switch (templateId) {
            case OrderEncoder.TEMPLATE_ID: return ORDER;
            case PaymentEncoder.TEMPLATE_ID: return PAYMENT;
            case OrderStatusEncoder.TEMPLATE_ID: return ORDER_STATUS;
            case InventoryEncoder.TEMPLATE_ID: return INVENTORY;
            case ActivityEncoder.TEMPLATE_ID: return ACTIVITY;
            default: return null;
        }
    }

    /**
     * The type name that {@code given} spells in any ASCII letter case ({@code "ORDER"}, {@code "OrderStatus"}), as the
     * enumerations' values are matched; {@code null} for any other text. Only a-z and A-Z fold: a long s or a Kelvin sign
     * spells no type. Allocates nothing.
     */
    static String typeNamed(final String given) {
        for (final String name : TYPE_NAMES) {
            if (equalsIgnoringAsciiCase(name, given)) {
                return name;
            }
        }
        return null;
    }

    /** Whether {@code a} and {@code b} are the same text but for the letter case of a-z. */
    static boolean equalsIgnoringAsciiCase(final String a, final String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (upperAscii(a.charAt(i)) != upperAscii(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char upperAscii(final char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }

    /** SBE value of the enumeration name at {@code index} of its table. */
    static short sbeValue(final int index) {
        return (short) (index + 1);
    }

    /** Whether {@code raw} is the SBE value of a name in {@code names}. */
    static boolean isEnumValue(final int raw, final String[] names) {
        return raw >= 1 && raw <= names.length;
    }

    /** A code point no identifier may contain: the C0 and C1 controls and DEL (NUL included). */
    static boolean isForbiddenInId(final int codePoint) {
        return Character.isISOControl(codePoint);
    }

    /** An item quantity (any 32-bit value but zero). */
    static boolean isValidQty(final int qty) {
        return qty != 0;
    }

    static boolean isValidLabel(final int label) {
        return label == LABEL_ABSENT || label == 0 || label == 1;
    }

    static boolean isValidEventTime(final long micros) {
        return micros >= MIN_EVENT_TIME && micros <= MAX_EVENT_TIME;
    }

    /** Whether an amount of {@code minor} units obeys {@code sign}. */
    static boolean allows(final Money.Sign sign, final long minor) {
        switch (sign) {
            case POSITIVE: return minor > 0;
            case NON_NEGATIVE: return minor >= 0;
            default: return true;
        }
    }

    // ---- Reasons. Built only for a reject; each names the field and quotes the value. ----

    /** {@code orderId}, or {@code items[2].sku} inside item line 2. */
    static String name(final String field, final int item) {
        return item < 0 ? field : "items[" + item + "]." + field;
    }

    static String quotedName(final String field, final int item) {
        return "'" + name(field, item) + "'";
    }

    static String missing(final String field, final int item, final String type) {
        return "missing required field " + quotedName(field, item) + " for type '" + type + "'";
    }

    static String emptyRequired(final String field, final int item, final String type) {
        return "required field " + quotedName(field, item) + " is empty for type '" + type + "'";
    }

    static String idTooLong(final String field, final int item, final int bytes) {
        return quotedName(field, item) + " is " + bytes + " bytes, the maximum is " + Ids.MAX_ID_BYTES;
    }

    static String controlCharacter(final String field, final int item, final int codePoint) {
        return quotedName(field, item) + " contains a control character (U+" + String.format("%04X", codePoint) + ")";
    }

    static String notOneOf(final String field, final String[] names, final String got) {
        return quotedName(field, -1) + " must be one of " + String.join(", ", names) + ", got " + got;
    }

    /**
     * True when an item line's amount, {@code qty × unitPrice}, is within the bound of an amount
     * ({@link Money#MAX_MINOR}), so that windows summing lines (sku and category keys) cannot
     * saturate on one line. {@code unitPrice} is already within that bound and not negative.
     */
    static boolean isLineAmountInRange(final int qty, final long unitPrice) {
        return unitPrice == 0 || Math.abs((long) qty) <= Money.MAX_MINOR / unitPrice;
    }

    static String lineTooLarge(final int item, final int qty, final long unitPrice, final int fractionDigits) {
        return "'items[" + item + "]' amount (qty x unitPrice) is too large: " + qty + " x " + Money.format(unitPrice, fractionDigits)
                + " is beyond " + Money.format(Money.MAX_MINOR, fractionDigits) + " (10^15 minor units), the bound of an amount";
    }

    static String qtyZero(final int item) {
        return quotedName("qty", item) + " must not be zero";
    }

    static String badLabel(final String got) {
        return "'label' must be the number 0 or 1, got " + got;
    }

    static String ipTooLong(final int length) {
        return "'ip' is " + length + " characters, the maximum is " + IpText.MAX_LENGTH;
    }

    static String notAnIp(final String quoted) {
        return "'ip' is not an IPv4 or IPv6 address: " + quoted;
    }

    static String unknownCurrency(final String quoted) {
        return "unknown currency " + quoted;
    }

    static String unknownType(final String quoted) {
        return "unknown type " + quoted + " (expected " + TYPES + ")";
    }

    static String tooManyItems(final int maxItems, final int maxMessageBytes) {
        return "'items' has more than " + maxItems + " entries, the most that fit in a message of " + maxMessageBytes + " bytes";
    }

    /** The words {@link Money} uses when a parsed amount breaks its sign rule; {@code quoted} is the value. */
    static String badSign(final String field, final int item, final Money.Sign sign, final String quoted) {
        return quotedName(field, item) + (sign == Money.Sign.POSITIVE ? " must be positive, got " : " must not be negative, got ") + quoted;
    }

    /** An amount beyond {@link Money#MAX_MINOR}, the same words as {@link Money}'s parser. */
    static String tooLarge(final String field, final int item, final String quoted, final int fractionDigits) {
        return Money.tooLarge(name(field, item), quoted, fractionDigits);
    }

    /** An integer outside {@code [min, max]}. */
    static String outOfRange(final String field, final int item, final long min, final long max, final String got) {
        return quotedName(field, item) + " must be " + range(min, max) + ", got " + got;
    }

    static String quote(final String text) {
        return "'" + truncate(text) + "'";
    }

    static String truncate(final String text) {
        return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    }

    private static String range(final long min, final long max) {
        if (max == Long.MAX_VALUE) {
            return min == 0 ? "zero or more" : "at least " + min;
        }
        return "between " + min + " and " + max;
    }
}
