package io.ringfence.engine.codec;

import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.RejectCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.util.stream.Stream;

import static io.ringfence.sbe.RejectCode.BAD_TIME;
import static io.ringfence.sbe.RejectCode.BAD_VALUE;
import static io.ringfence.sbe.RejectCode.MALFORMED;
import static io.ringfence.sbe.RejectCode.MISSING_FIELD;
import static io.ringfence.sbe.RejectCode.UNKNOWN_CURRENCY;
import static io.ringfence.sbe.RejectCode.UNKNOWN_SCHEMA;
import static io.ringfence.sbe.RejectCode.UNKNOWN_TYPE;
import static io.ringfence.sbe.RejectCode.UNSUPPORTED_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One rule at a time: a valid message, parsed from a JSON line, has one field corrupted in its
 * SBE bytes; the validator must refuse it with the exact code and reason, and the reason names
 * the field. Where JSON can carry the same bad value, the parser's verdict on that line must be
 * the very same code and reason.
 */
class InboundValidatorRejectTest {
    private static final int NEWER_VERSION = io.ringfence.sbe.MessageHeaderDecoder.SCHEMA_VERSION + 1;
    private static final String T = "\"time\":\"2011-12-09T12:50:00Z\"";
    private static final String ORDER_FIELDS = "{\"type\":\"order\"," + T + ",\"orderId\":\"o-1\",\"userId\":\"u-1\",\"amount\":\"139.12\","
        + "\"currency\":\"GBP\",\"merchantId\":\"m\",\"country\":\"UK\",\"ip\":\"10.1.2.3\",\"deviceId\":\"d\",\"instrumentId\":\"c\","
        + "\"channel\":\"web\",\"label\":1,\"items\":[{\"sku\":\"a\",\"qty\":6,\"unitPrice\":\"2.55\",\"category\":\"home\"},"
        + "{\"sku\":\"b\",\"qty\":-1,\"unitPrice\":\"0\"}]";
    private static final String ORDER = ORDER_FIELDS + "}";
    private static final String PAYMENT = "{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"orderId\":\"o\",\"userId\":\"u\","
        + "\"instrumentId\":\"c\",\"amount\":\"5\",\"currency\":\"JPY\",\"result\":\"FAILED\",\"label\":0}";
    private static final String STATUS = "{\"type\":\"orderStatus\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"status\":\"PAID\"}";
    private static final String LEVEL = "{\"type\":\"inventory\"," + T + ",\"sku\":\"s\",\"warehouse\":\"w\",\"level\":3}";
    private static final String DELTA = "{\"type\":\"inventory\"," + T + ",\"sku\":\"s\",\"warehouse\":\"w\",\"delta\":-3}";
    private static final String ACTIVITY = "{\"type\":\"activity\"," + T + ",\"userId\":\"u\",\"sessionId\":\"s\",\"kind\":\"VIEW\","
        + "\"sku\":\"k\",\"ip\":\"::1\",\"deviceId\":\"d\"}";
    private static final int H = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int ITEM = OrderDecoder.ItemsDecoder.sbeBlockLength();
    private static final String GBP_ORDER_HEAD = "{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"currency\":\"GBP\"";

    private final JsonEventParser parser = new JsonEventParser();
    private final InboundValidator validator = new InboundValidator();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(2048);
    private final ParseResult result = new ParseResult();

    @FunctionalInterface
    interface Corruption {
        void apply(MutableDirectBuffer buffer);
    }

    static Stream<Arguments> rejects() {
        final int orderId = H + OrderDecoder.orderIdEncodingOffset();
        final int item0 = H + OrderDecoder.BLOCK_LENGTH + 4;
        final int item1 = item0 + OrderDecoder.ItemsDecoder.sbeBlockLength();
        return Stream.of(
            // Time
            reject("order time after 2106", ORDER, putLong(H + OrderDecoder.eventTimeEncodingOffset(), Long.MAX_VALUE), BAD_TIME,
                "'eventTime' is 9223372036854775807 microseconds (+294247-01-10T04:00:54.775807Z), outside the event times taken "
                    + "(1970-01-01T00:00:00.000001Z to 2106-02-07T06:28:15.999999Z)", null),
            reject("activity time before 1970", ACTIVITY, putLong(H + ActivityDecoder.eventTimeEncodingOffset(), Long.MIN_VALUE), BAD_TIME,
                "'eventTime' is -9223372036854775808 microseconds (-290308-12-21T19:59:05.224192Z), outside the event times taken "
                    + "(1970-01-01T00:00:00.000001Z to 2106-02-07T06:28:15.999999Z)", null),
            // a zero time is a field never set (outside-client trial: a 1970 order journaled, overdue at once)
            reject("order time 0", ORDER, putLong(H + OrderDecoder.eventTimeEncodingOffset(), 0), BAD_TIME,
                "'eventTime' is 0, the epoch (1970-01-01T00:00:00Z): taken as not set; an event's time is epoch microseconds after it", null),
            reject("activity time 0", ACTIVITY, putLong(H + ActivityDecoder.eventTimeEncodingOffset(), 0), BAD_TIME,
                "'eventTime' is 0, the epoch (1970-01-01T00:00:00Z): taken as not set; an event's time is epoch microseconds after it", null),
            // Required ids
            reject("empty orderId", ORDER, ascii36(orderId, ""), MISSING_FIELD, "required field 'orderId' is empty for type 'order'",
                ORDER.replace("\"o-1\"", "\"\"")),
            reject("empty userId", ORDER, ascii36(H + OrderDecoder.userIdEncodingOffset(), ""), MISSING_FIELD,
                "required field 'userId' is empty for type 'order'", ORDER.replace("\"u-1\"", "\"\"")),
            reject("empty paymentId", PAYMENT, ascii36(H + PaymentDecoder.paymentIdEncodingOffset(), ""), MISSING_FIELD,
                "required field 'paymentId' is empty for type 'payment'", PAYMENT.replace("\"p\"", "\"\"")),
            reject("empty status orderId", STATUS, ascii36(H + OrderStatusDecoder.orderIdEncodingOffset(), ""), MISSING_FIELD,
                "required field 'orderId' is empty for type 'orderStatus'", STATUS.replace("\"o\"", "\"\"")),
            reject("empty inventory sku", LEVEL, ascii36(H + InventoryDecoder.skuEncodingOffset(), ""), MISSING_FIELD,
                "required field 'sku' is empty for type 'inventory'", LEVEL.replace("\"s\"", "\"\"")),
            reject("empty activity userId", ACTIVITY, ascii36(H + ActivityDecoder.userIdEncodingOffset(), ""), MISSING_FIELD,
                "required field 'userId' is empty for type 'activity'", ACTIVITY.replace("\"u\"", "\"\"")),
            reject("empty items[1].sku", ORDER, ascii36(item1 + OrderDecoder.ItemsDecoder.skuEncodingOffset(), ""), MISSING_FIELD,
                "required field 'items[1].sku' is empty for type 'order'", ORDER.replace("\"b\"", "\"\"")),
            // Id bytes: UTF-8, controls, padding
            reject("orderId tab", ORDER, bytes(orderId, 'o', 9, 'x'), BAD_VALUE, "'orderId' contains a control character (U+0009)",
                ORDER.replace("\"o-1\"", "\"o\\tx\"")),
            reject("merchantId C1 control", ORDER, bytes(H + OrderDecoder.merchantIdEncodingOffset(), 'm', 0xC2, 0x85), BAD_VALUE,
                "'merchantId' contains a control character (U+0085)", ORDER.replace("\"m\"", "\"m\\u0085\"")),
            reject("warehouse DEL", LEVEL, bytes(H + InventoryDecoder.warehouseEncodingOffset(), 0x7F), BAD_VALUE,
                "'warehouse' contains a control character (U+007F)", LEVEL.replace("\"w\"", "\"\\u007f\"")),
            reject("orderId stray byte", ORDER, bytes(orderId, 'o', 0xFF), BAD_VALUE, "'orderId' is not valid UTF-8 (byte 0xFF at index 1)", null),
            reject("orderId overlong slash", ORDER, bytes(orderId, 0xC0, 0xAF), BAD_VALUE, "'orderId' is not valid UTF-8 (byte 0xC0 at index 0)", null),
            reject("userId overlong 3-byte", ORDER, bytes(H + OrderDecoder.userIdEncodingOffset(), 0xE0, 0x80, 0xAF), BAD_VALUE,
                "'userId' is not valid UTF-8 (byte 0xE0 at index 0)", null),
            reject("deviceId surrogate", ORDER, bytes(H + OrderDecoder.deviceIdEncodingOffset(), 'd', 0xED, 0xA0, 0x80), BAD_VALUE,
                "'deviceId' is not valid UTF-8 (byte 0xED at index 1)", null),
            reject("instrumentId above U+10FFFF", ORDER, bytes(H + OrderDecoder.instrumentIdEncodingOffset(), 0xF4, 0x90, 0x80, 0x80),
                BAD_VALUE, "'instrumentId' is not valid UTF-8 (byte 0xF4 at index 0)", null),
            reject("country cut in the middle of a character", ORDER, countryCutAtTheEnd(), BAD_VALUE,
                "'country' is not valid UTF-8 (byte 0xE2 at index 35)", null),
            reject("sessionId sequence ended by NUL", ACTIVITY, bytes(H + ActivityDecoder.sessionIdEncodingOffset(), 's', 0xC3, 0), BAD_VALUE,
                "'sessionId' is not valid UTF-8 (byte 0xC3 at index 1)", null),
            reject("orderId bytes after its NUL", ORDER, bytes(orderId, 'o', 0, 'x'), BAD_VALUE,
                "'orderId' has byte 0x78 at index 2, after the NUL that ends it (pad with NUL bytes only)", null),
            reject("empty optional country with a hidden tail", ORDER, bytes(H + OrderDecoder.countryEncodingOffset() + 35, 1), BAD_VALUE,
                "'country' has byte 0x01 at index 35, after the NUL that ends it (pad with NUL bytes only)", null),
            reject("items[0].category bad byte", ORDER, bytes(item0 + OrderDecoder.ItemsDecoder.categoryEncodingOffset(), 0x80), BAD_VALUE,
                "'items[0].category' is not valid UTF-8 (byte 0x80 at index 0)", null),
            reject("status userId padding", STATUS, bytes(H + OrderStatusDecoder.userIdEncodingOffset() + 1, 0, 'z'), BAD_VALUE,
                "'userId' has byte 0x7A at index 2, after the NUL that ends it (pad with NUL bytes only)", null),
            reject("payment instrumentId control", PAYMENT, bytes(H + PaymentDecoder.instrumentIdEncodingOffset(), 0x1B), BAD_VALUE,
                "'instrumentId' contains a control character (U+001B)", PAYMENT.replace("\"c\"", "\"\\u001b\"")),
            reject("activity sku after NUL", ACTIVITY, bytes(H + ActivityDecoder.skuEncodingOffset() + 1, 0, 'k'), BAD_VALUE,
                "'sku' has byte 0x6B at index 2, after the NUL that ends it (pad with NUL bytes only)", null),
            reject("activity deviceId bad byte", ACTIVITY, bytes(H + ActivityDecoder.deviceIdEncodingOffset(), 0xFE), BAD_VALUE,
                "'deviceId' is not valid UTF-8 (byte 0xFE at index 0)", null),
            // Currency and money
            reject("unknown currency", ORDER, ascii(H + OrderDecoder.currencyEncodingOffset(), 3, "GBX"), UNKNOWN_CURRENCY,
                "unknown currency 'GBX'", ORDER.replace("\"GBP\"", "\"GBX\"")),
            reject("lower-case currency", PAYMENT, ascii(H + PaymentDecoder.currencyEncodingOffset(), 3, "jpy"), UNKNOWN_CURRENCY,
                "unknown currency 'jpy': the wire carries ISO-4217 codes upper case", null), // JSON takes any case
            reject("currency without minor unit", PAYMENT, ascii(H + PaymentDecoder.currencyEncodingOffset(), 3, "XAU"), UNKNOWN_CURRENCY,
                "unknown currency 'XAU'", PAYMENT.replace("\"JPY\"", "\"XAU\"")),
            reject("binary currency", ORDER, bytes(H + OrderDecoder.currencyEncodingOffset(), 'G', 0xFF, 0), UNKNOWN_CURRENCY,
                "unknown currency 'G\\xFF\\x00'", null),
            reject("no currency", ORDER, ascii(H + OrderDecoder.currencyEncodingOffset(), 3, ""), MISSING_FIELD,
                "missing required field 'currency' for type 'order'", GBP_ORDER_HEAD.replace(",\"currency\":\"GBP\"", ",\"amount\":\"1\"") + "}"),
            reject("negative amount", ORDER, putLong(H + OrderDecoder.amountEncodingOffset(), -500), BAD_VALUE,
                "'amount' must be positive, got '-5.00'", ORDER.replace("\"139.12\"", "\"-5.00\"")),
            reject("zero amount", ORDER, putLong(H + OrderDecoder.amountEncodingOffset(), 0), BAD_VALUE,
                "'amount' must be positive, got '0.00'", ORDER.replace("\"139.12\"", "\"0.00\"")),
            reject("amount beyond 10^15 minor units", ORDER, putLong(H + OrderDecoder.amountEncodingOffset(), 1L << 62), BAD_VALUE,
                "'amount' is too large: at most 10000000000000.00 (10^15 minor units), got '46116860184273879.04'",
                ORDER.replace("\"139.12\"", "\"46116860184273879.04\"")),
            reject("most negative amount", PAYMENT, putLong(H + PaymentDecoder.amountEncodingOffset(), Long.MIN_VALUE), BAD_VALUE,
                "'amount' must be positive, got '-9223372036854775808'", PAYMENT.replace("\"5\"", "\"-9223372036854775808\"")),
            // each within its bound, but the line's amount beyond an amount's: sku and category windows would saturate (money trial)
            reject("line amount beyond 10^15 minor units", ORDER, putLong(item0 + OrderDecoder.ItemsDecoder.unitPriceEncodingOffset(),
                    200_000_000_000_000L), BAD_VALUE, "'items[0]' amount (qty x unitPrice) is too large: 6 x 2000000000000.00 is beyond"
                    + " 10000000000000.00 (10^15 minor units), the bound of an amount", ORDER.replace("\"2.55\"", "\"2000000000000.00\"")),
            reject("negative unit price", ORDER, putLong(item0 + OrderDecoder.ItemsDecoder.unitPriceEncodingOffset(), -1), BAD_VALUE,
                "'items[0].unitPrice' must not be negative, got '-0.01'", ORDER.replace("\"2.55\"", "\"-0.01\"")),
            // Enumerations
            reject("channel 7", ORDER, putByte(H + OrderDecoder.channelEncodingOffset(), 7), BAD_VALUE,
                "'channel' must be one of web, app, pos, phone, marketplace, other, got 7 (SBE values 1 to 6, or 0 when unspecified)", null),
            reject("channel null", ORDER, putByte(H + OrderDecoder.channelEncodingOffset(), 255), BAD_VALUE,
                "'channel' must be one of web, app, pos, phone, marketplace, other, got 255 (SBE values 1 to 6, or 0 when unspecified)", null),
            reject("result 0", PAYMENT, putByte(H + PaymentDecoder.resultEncodingOffset(), 0), BAD_VALUE,
                "'result' must be one of AUTHORIZED, DECLINED, FAILED, CAPTURED, REFUNDED, CHARGEBACK, got 0 (SBE values 1 to 6)", null),
            reject("result null", PAYMENT, putByte(H + PaymentDecoder.resultEncodingOffset(), 255), MISSING_FIELD,
                "missing required field 'result' for type 'payment'", PAYMENT.replace(",\"result\":\"FAILED\"", "")),
            reject("status 7", STATUS, putByte(H + OrderStatusDecoder.statusEncodingOffset(), 7), BAD_VALUE,
                "'status' must be one of CREATED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED, got 7 (SBE values 1 to 6)", null),
            reject("status null", STATUS, putByte(H + OrderStatusDecoder.statusEncodingOffset(), 255), MISSING_FIELD,
                "missing required field 'status' for type 'orderStatus'", STATUS.replace(",\"status\":\"PAID\"", "")),
            reject("kind 5", ACTIVITY, putByte(H + ActivityDecoder.kindEncodingOffset(), 5), BAD_VALUE,
                "'kind' must be one of SIGNUP, LOGIN, VIEW, ADD_TO_CART, got 5 (SBE values 1 to 4)", null),
            reject("kind null", ACTIVITY, putByte(H + ActivityDecoder.kindEncodingOffset(), 255), MISSING_FIELD,
                "missing required field 'kind' for type 'activity'", ACTIVITY.replace(",\"kind\":\"VIEW\"", "")),
            reject("inventory mode 0", LEVEL, putByte(H + InventoryDecoder.modeEncodingOffset(), 0), BAD_VALUE,
                "'mode' must be one of DELTA, LEVEL, got 0 (SBE values 1 to 2)", null),
            reject("inventory mode null", DELTA, putByte(H + InventoryDecoder.modeEncodingOffset(), 255), MISSING_FIELD,
                "missing required field 'mode' for type 'inventory'", null),
            // Label, quantities
            reject("label 2", ORDER, putByte(H + OrderDecoder.labelEncodingOffset(), 2), BAD_VALUE,
                "'label' must be the number 0 or 1, got 2 (-1 when absent)", null),
            reject("payment label -2", PAYMENT, putByte(H + PaymentDecoder.labelEncodingOffset(), -2), BAD_VALUE,
                "'label' must be the number 0 or 1, got -2 (-1 when absent)", null),
            reject("qty 0", ORDER, putInt(item1 + OrderDecoder.ItemsDecoder.qtyEncodingOffset(), 0), BAD_VALUE,
                "'items[1].qty' must not be zero", ORDER.replace("\"qty\":-1", "\"qty\":0")),
            reject("negative level", LEVEL, putLong(H + InventoryDecoder.quantityEncodingOffset(), -1), BAD_VALUE,
                "'quantity' must be between 0 and 1000000000000000, got -1 (mode LEVEL)", null),
            reject("huge delta", DELTA, putLong(H + InventoryDecoder.quantityEncodingOffset(), Long.MAX_VALUE), BAD_VALUE,
                "'quantity' must be between -1000000000000000 and 1000000000000000, got 9223372036854775807 (mode DELTA)", null),
            // IP text
            reject("ip host name", ORDER, ascii(H + OrderDecoder.ipEncodingOffset(), 46, "example.com"), BAD_VALUE,
                "'ip' is not an IPv4 or IPv6 address: 'example.com'", ORDER.replace("\"10.1.2.3\"", "\"example.com\"")),
            reject("ip octet 256", ACTIVITY, ascii(H + ActivityDecoder.ipEncodingOffset(), 46, "256.1.2.3"), BAD_VALUE,
                "'ip' is not an IPv4 or IPv6 address: '256.1.2.3'", ACTIVITY.replace("\"::1\"", "\"256.1.2.3\"")),
            reject("ip fills the field", ORDER, ascii(H + OrderDecoder.ipEncodingOffset(), 46, "1:".repeat(22) + "11"), BAD_VALUE,
                "'ip' is 46 characters, the maximum is 45", null),
            reject("ip not ASCII", ACTIVITY, bytes(H + ActivityDecoder.ipEncodingOffset(), ':', ':', 0xB9), BAD_VALUE,
                "'ip' is not an IPv4 or IPv6 address: '::\\xB9'", null),
            reject("ip after NUL", ORDER, bytes(H + OrderDecoder.ipEncodingOffset() + 8, 0, '9'), BAD_VALUE,
                "'ip' has byte 0x39 at index 9, after the NUL that ends it (pad with NUL bytes only)", null),
            // Shape
            reject("schema", ORDER, putShort(4, 7002), UNKNOWN_SCHEMA, "schema id 7002 is not ringfence's (7001)", null),
            reject("version", ORDER, putShort(6, NEWER_VERSION), UNSUPPORTED_VERSION,
                "schema version " + NEWER_VERSION + " is newer than " + io.ringfence.sbe.MessageHeaderDecoder.SCHEMA_VERSION, null),
            reject("session template", STATUS, putShort(2, 10), UNKNOWN_TYPE,
                "template id 10 is not an inbound event (expected 1-5: order, payment, orderStatus, inventory, activity)", null),
            reject("short root block", PAYMENT, putShort(0, PaymentDecoder.BLOCK_LENGTH - 1), MALFORMED,
                "block length 172 is not between the schema's 173 and the 173 bytes after the header", null),
            reject("absurd item count", ORDER, putShort(H + OrderDecoder.BLOCK_LENGTH + 2, 65_535), MALFORMED,
                "the body is " + (OrderDecoder.BLOCK_LENGTH + 4 + 65_535L * ITEM) + " bytes by its header and groups, but "
                    + (OrderDecoder.BLOCK_LENGTH + 4 + 2 * ITEM) + " bytes follow the header", null),
            reject("short item entries", ORDER, putShort(H + OrderDecoder.BLOCK_LENGTH, ITEM - 1), MALFORMED,
                "'items' entry length " + (ITEM - 1) + " is less than the schema's " + ITEM, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejects")
    void shouldRefuseOneCorruptedField(final String name, final String validLine, final Corruption corruption,
                                       final RejectCode code, final String reason, final String sameAsJson) {
        final int length = parser.parse(validLine, 1, 1, buffer, 0, result);
        assertEquals(InboundValidator.VALID, validator.validate(buffer, 0, length), validator::reason);
        corruption.apply(buffer);

        assertEquals(code.value(), validator.validate(buffer, 0, length), validator::reason);
        assertEquals(code, validator.code());
        assertEquals(reason, validator.reason());
        if (sameAsJson != null) {
            assertEquals(JsonEventParser.REJECTED, parser.parse(sameAsJson, 2, 2, new ExpandableArrayBuffer(), 0, result));
            assertEquals(code, result.code(), "the parser's code for the same value");
            assertEquals(reason, result.reason(), "the parser's reason for the same value");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejects")
    void shouldAcceptTheMessageAgainOnceTheFieldIsRestored(final String name, final String validLine, final Corruption corruption,
                                                          final RejectCode code, final String reason, final String sameAsJson) {
        final int length = parser.parse(validLine, 1, 1, buffer, 0, result);
        final byte[] original = new byte[length];
        buffer.getBytes(0, original);
        corruption.apply(buffer);
        assertNotEquals(InboundValidator.VALID, validator.validate(buffer, 0, length));
        buffer.putBytes(0, original);
        assertEquals(InboundValidator.VALID, validator.validate(buffer, 0, length), "state left over from the reject");
        assertTrue(validator.code() == null && validator.reason() == null);
    }

    private static Arguments reject(final String name, final String line, final Corruption corruption, final RejectCode code,
                                    final String reason, final String sameAsJson) {
        return arguments(name, line, corruption, code, reason, sameAsJson);
    }

    /** Replaces a 36-byte id with {@code text}, NUL padded. */
    private static Corruption ascii36(final int at, final String text) {
        return ascii(at, 36, text);
    }

    /** Replaces the {@code capacity}-byte char field at {@code at} with {@code text}, NUL padded. */
    private static Corruption ascii(final int at, final int capacity, final String text) {
        return b -> InboundValidatorTest.putAscii(b, at, capacity, text);
    }

    /** Writes raw bytes from {@code at}, leaving the rest of the field as it is. */
    private static Corruption bytes(final int at, final int... values) {
        return b -> {
            for (int i = 0; i < values.length; i++) {
                b.putByte(at + i, (byte) values[i]);
            }
        };
    }

    /** 33 ASCII letters and the first byte of the 3-byte €: the field ends inside a character. */
    private static Corruption countryCutAtTheEnd() {
        final int at = H + OrderDecoder.countryEncodingOffset();
        return b -> {
            InboundValidatorTest.putAscii(b, at, 36, "c".repeat(35));
            b.putByte(at + 35, (byte) 0xE2);
        };
    }

    private static Corruption putLong(final int at, final long value) {
        return b -> b.putLong(at, value, ByteOrder.LITTLE_ENDIAN);
    }

    private static Corruption putInt(final int at, final int value) {
        return b -> b.putInt(at, value, ByteOrder.LITTLE_ENDIAN);
    }

    private static Corruption putShort(final int at, final int value) {
        return b -> b.putShort(at, (short) value, ByteOrder.LITTLE_ENDIAN);
    }

    private static Corruption putByte(final int at, final int value) {
        return b -> b.putByte(at, (byte) value);
    }
}
