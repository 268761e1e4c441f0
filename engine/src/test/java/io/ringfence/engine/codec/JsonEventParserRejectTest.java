package io.ringfence.engine.codec;

import io.ringfence.sbe.RejectCode;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.ringfence.sbe.RejectCode.BAD_TIME;
import static io.ringfence.sbe.RejectCode.BAD_VALUE;
import static io.ringfence.sbe.RejectCode.ID_TOO_LONG;
import static io.ringfence.sbe.RejectCode.MALFORMED;
import static io.ringfence.sbe.RejectCode.MISSING_FIELD;
import static io.ringfence.sbe.RejectCode.TOO_LARGE;
import static io.ringfence.sbe.RejectCode.UNKNOWN_CURRENCY;
import static io.ringfence.sbe.RejectCode.UNKNOWN_TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every reject path: the exact code and the exact reason, which names the field and the value. */
class JsonEventParserRejectTest {
    private static final String T = "\"time\":\"2011-12-09T12:50:00Z\"";
    private static final String ORDER = "{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1.00\",\"currency\":\"GBP\"";
    private static final String PAYMENT = "{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"amount\":\"1.00\",\"currency\":\"GBP\",\"result\":\"FAILED\"";
    private static final String INVENTORY = "{\"type\":\"inventory\"," + T + ",\"sku\":\"s\"";
    private static final String ACTIVITY = "{\"type\":\"activity\"," + T + ",\"userId\":\"u\",\"kind\":\"LOGIN\"";
    private static final String ID_37 = "a".repeat(34) + "€"; // 34 + 3 bytes

    private final JsonEventParser parser = new JsonEventParser();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final ParseResult result = new ParseResult();

    static Stream<Arguments> rejects() {
        return Stream.of(
            // MALFORMED: not one JSON object
            arguments("", MALFORMED, "empty line (expected one JSON object)"),
            arguments("   ", MALFORMED, "empty line (expected one JSON object)"),
            arguments("[1,2]", MALFORMED, "the line is not a JSON object (starts with an array)"),
            arguments("\"order\"", MALFORMED, "the line is not a JSON object (starts with 'order')"),
            arguments("{\"type\":\"order\",}", MALFORMED,
                "malformed JSON at column 17: Unexpected character ('}' (code 125)): was expecting double-quote to start field name"),
            arguments("{\"type\":\"order\"", MALFORMED,
                "malformed JSON at column 16: Unexpected end-of-input: expected close marker for Object"),
            arguments("{\"type\":order}", MALFORMED,
                "malformed JSON at column 15: Unrecognized token 'order': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
            arguments(ORDER + "} x", MALFORMED,
                "malformed JSON at column 109: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
            arguments(ORDER + "}{}", MALFORMED, "malformed JSON at column 107: more content after the object (one object per line)"),
            arguments(ORDER + ",\"orderId\":\"o2\"}", MALFORMED, "duplicate field 'orderId' (second value at column 117)"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"sku\":\"b\"}]}", MALFORMED, "duplicate field 'sku' (second value at column 133)"),
            // UNKNOWN_TYPE and the type field itself
            arguments("{\"type\":\"refund\"," + T + "}", UNKNOWN_TYPE,
                "unknown type 'refund' (expected order, payment, orderStatus, inventory, activity)"),
            // any letter case names a type (since 2026-12-07), but only a-z fold and nothing else is forgiven
            arguments("{\"type\":\"Orders\"," + T + "}", UNKNOWN_TYPE,
                "unknown type 'Orders' (expected order, payment, orderStatus, inventory, activity)"),
            arguments("{\"type\":\"order_status\"," + T + "}", UNKNOWN_TYPE,
                "unknown type 'order_status' (expected order, payment, orderStatus, inventory, activity)"),
            arguments("{\"type\":\"orderſtatus\"," + T + "}", UNKNOWN_TYPE,
                "unknown type 'orderſtatus' (expected order, payment, orderStatus, inventory, activity)"),
            arguments("{\"type\":\" order\"," + T + "}", UNKNOWN_TYPE,
                "unknown type ' order' (expected order, payment, orderStatus, inventory, activity)"),
            arguments("{\"type\":\"\"," + T + "}", UNKNOWN_TYPE,
                "unknown type '' (expected order, payment, orderStatus, inventory, activity)"),
            arguments("{\"type\":\"ORDER\"," + T + ",\"orderId\":\"o\"}", MISSING_FIELD,
                "missing required field 'userId' for type 'order'"),
            arguments("{" + T + ",\"orderId\":\"o\"}", MISSING_FIELD,
                "missing required field 'type' (expected order, payment, orderStatus, inventory, activity)"),
            arguments("{\"type\":1}", BAD_VALUE, "'type' must be a string, got 1"),
            // MISSING_FIELD per type
            arguments("{\"type\":\"order\",\"orderId\":\"o\"}", MISSING_FIELD, "missing required field 'time' for type 'order'"),
            arguments("{\"type\":\"order\"," + T + ",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBP\"}", MISSING_FIELD,
                "missing required field 'orderId' for type 'order'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"amount\":\"1\",\"currency\":\"GBP\"}", MISSING_FIELD,
                "missing required field 'userId' for type 'order'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"currency\":\"GBP\"}", MISSING_FIELD,
                "missing required field 'amount' for type 'order'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1\"}", MISSING_FIELD,
                "missing required field 'currency' for type 'order'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBP\"}", MISSING_FIELD,
                "required field 'orderId' is empty for type 'order'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":null,\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBP\"}", MISSING_FIELD,
                "missing required field 'orderId' for type 'order'"),
            arguments(ORDER + ",\"items\":[{\"qty\":2}]}", MISSING_FIELD, "missing required field 'items[0].sku' for type 'order'"),
            arguments("{\"type\":\"payment\"," + T + ",\"amount\":\"1\",\"currency\":\"GBP\",\"result\":\"FAILED\"}", MISSING_FIELD,
                "missing required field 'paymentId' for type 'payment'"),
            arguments("{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"currency\":\"GBP\",\"result\":\"FAILED\"}", MISSING_FIELD,
                "missing required field 'amount' for type 'payment'"),
            arguments("{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"amount\":\"1\",\"result\":\"FAILED\"}", MISSING_FIELD,
                "missing required field 'currency' for type 'payment'"),
            arguments("{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"amount\":\"1\",\"currency\":\"GBP\"}", MISSING_FIELD,
                "missing required field 'result' for type 'payment'"),
            arguments("{\"type\":\"orderStatus\"," + T + ",\"status\":\"PAID\"}", MISSING_FIELD,
                "missing required field 'orderId' for type 'orderStatus'"),
            arguments("{\"type\":\"orderStatus\"," + T + ",\"orderId\":\"o\"}", MISSING_FIELD,
                "missing required field 'status' for type 'orderStatus'"),
            arguments("{\"type\":\"inventory\"," + T + ",\"delta\":1}", MISSING_FIELD, "missing required field 'sku' for type 'inventory'"),
            arguments(INVENTORY + "}", MISSING_FIELD, "missing required field 'delta' or 'level' for type 'inventory'"),
            arguments("{\"type\":\"activity\"," + T + ",\"kind\":\"LOGIN\"}", MISSING_FIELD, "missing required field 'userId' for type 'activity'"),
            arguments("{\"type\":\"activity\"," + T + ",\"userId\":\"u\"}", MISSING_FIELD, "missing required field 'kind' for type 'activity'"),
            arguments("{\"type\":\"activity\",\"userId\":\"u\",\"kind\":\"LOGIN\"}", MISSING_FIELD, "missing required field 'time' for type 'activity'"),
            // BAD_TIME
            arguments("{\"type\":\"order\",\"time\":\"2011-12-09 12:50\"}", BAD_TIME, "'time' is not ISO-8601 with a zone: '2011-12-09 12:50'"),
            arguments("{\"type\":\"order\",\"time\":\"2011-12-09T12:50:00\"}", BAD_TIME,
                "'time' has no zone (add Z or an offset such as +01:00): '2011-12-09T12:50:00'"),
            arguments("{\"type\":\"order\",\"time\":1323435000}", BAD_TIME,
                "'time' must be an ISO-8601 string such as 2011-12-09T12:50:00Z, got 1323435000"),
            arguments("{\"type\":\"order\",\"time\":\"2011-02-29T12:50:00Z\"}", BAD_TIME, "'time' is not a valid date: '2011-02-29T12:50:00Z'"),
            arguments("{\"type\":\"order\",\"time\":\"1970-01-01T01:00:00+01:00\"}", BAD_TIME, "'time' '1970-01-01T01:00:00+01:00' is the"
                + " epoch (1970-01-01T00:00:00Z), which the gateway takes as a time not set; an event's time is after it"),
            // UNKNOWN_CURRENCY
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBX\"}",
                UNKNOWN_CURRENCY, "unknown currency 'GBX'"),
            arguments("{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"amount\":\"1\",\"currency\":\"XAU\",\"result\":\"FAILED\"}",
                UNKNOWN_CURRENCY, "unknown currency 'XAU'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"gbx\"}",
                UNKNOWN_CURRENCY, "unknown currency 'gbx'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"u\u017fd\"}",
                UNKNOWN_CURRENCY, "unknown currency 'u\u017fd'"), // a long s is not an s: only ASCII letters fold
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":826}",
                BAD_VALUE, "'currency' must be a string, got 826"),
            // ID_TOO_LONG and bad ids
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"" + "x".repeat(41) + "\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBP\"}",
                ID_TOO_LONG, "'orderId' is 41 bytes, the maximum is 36"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"" + ID_37 + "\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBP\"}",
                ID_TOO_LONG, "'orderId' is 37 bytes, the maximum is 36"),
            arguments(ORDER + ",\"deviceId\":\"" + ID_37 + "\"}", ID_TOO_LONG, "'deviceId' is 37 bytes, the maximum is 36"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\"},{\"sku\":\"" + ID_37 + "\"}]}", ID_TOO_LONG, "'items[1].sku' is 37 bytes, the maximum is 36"),
            arguments(ORDER + ",\"country\":\"" + "Ü".repeat(19) + "\"}", ID_TOO_LONG, "'country' is 38 bytes, the maximum is 36"),
            arguments("{\"type\":\"orderStatus\"," + T + ",\"orderId\":\"o\\u0000x\",\"status\":\"PAID\"}", BAD_VALUE,
                "'orderId' contains a control character (U+0000)"),
            arguments(ORDER + ",\"merchantId\":\"a\\tb\"}", BAD_VALUE, "'merchantId' contains a control character (U+0009)"),
            arguments(ORDER + ",\"merchantId\":\"a\\ud800b\"}", BAD_VALUE, "'merchantId' is not valid Unicode (unpaired surrogate)"),
            arguments(ORDER + ",\"merchantId\":1.5}", BAD_VALUE, "'merchantId' must be a string or an integer, got 1.5"),
            arguments(ORDER + ",\"merchantId\":true}", BAD_VALUE, "'merchantId' must be a string or an integer, got true"),
            arguments(ORDER + ",\"merchantId\":{\"id\":1}}", BAD_VALUE, "'merchantId' must be a string or an integer, got an object"),
            // BAD_VALUE: money
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"-5.00\",\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' must be positive, got '-5.00'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":0,\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' must be positive, got '0'"),
            // beyond 10^15 minor units: window sums of such amounts would wrap a long
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"10000000000000.01\",\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' is too large: at most 10000000000000.00 (10^15 minor units), got '10000000000000.01'"),
            arguments("{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"amount\":4.7e13,\"currency\":\"GBP\",\"result\":\"AUTHORIZED\"}",
                BAD_VALUE, "'amount' is too large: at most 10000000000000.00 (10^15 minor units), got '4.7e13'"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":-100000,\"unitPrice\":\"10000000000000.00\"}]}", BAD_VALUE,
                "'items[0]' amount (qty x unitPrice) is too large: -100000 x 10000000000000.00 is beyond 10000000000000.00"
                + " (10^15 minor units), the bound of an amount"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"unitPrice\":\"10000000000001\"}]}", BAD_VALUE,
                "'items[0].unitPrice' is too large: at most 10000000000000.00 (10^15 minor units), got '10000000000001'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"139.123\",\"currency\":\"GBP\"}",
                BAD_VALUE, "amount '139.123' has 3 decimal places but GBP has 2"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":12.5,\"currency\":\"JPY\"}",
                BAD_VALUE, "amount '12.5' has 1 decimal place but JPY has 0"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1e2\",\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' is not a decimal amount, got '1e2'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"£5\",\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' is not a decimal amount, got '£5'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":1e300,\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' is out of range, got '1e300'"),
            arguments("{\"type\":\"order\"," + T + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":true,\"currency\":\"GBP\"}",
                BAD_VALUE, "'amount' must be a decimal string or a number, got true"),
            arguments("{\"type\":\"payment\"," + T + ",\"paymentId\":\"p\",\"amount\":\"-1\",\"currency\":\"GBP\",\"result\":\"REFUNDED\"}",
                BAD_VALUE, "'amount' must be positive, got '-1'"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"unitPrice\":\"-2.55\"}]}", BAD_VALUE, "'items[0].unitPrice' must not be negative, got '-2.55'"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"unitPrice\":\"2.555\"}]}", BAD_VALUE, "items[0].unitPrice '2.555' has 3 decimal places but GBP has 2"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"currency\":\"EUR\"}]}", BAD_VALUE, "'items[0].currency' is 'EUR' but the order is in 'GBP'"),
            // BAD_VALUE: items and integers
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":0}]}", BAD_VALUE, "'items[0].qty' must not be zero"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":1.5}]}", BAD_VALUE, "'items[0].qty' must be an integer, got 1.5"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":\"6\"}]}", BAD_VALUE, "'items[0].qty' must be an integer, got '6'"),
            arguments(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":2147483648}]}", BAD_VALUE,
                "'items[0].qty' must be between -2147483648 and 2147483647, got 2147483648"),
            arguments(ORDER + ",\"items\":[\"85123A\"]}", BAD_VALUE, "'items[0]' must be an object, got '85123A'"),
            arguments(ORDER + ",\"items\":{\"sku\":\"a\"}}", BAD_VALUE, "'items' must be an array, got an object"),
            arguments(INVENTORY + ",\"delta\":1,\"level\":2}", BAD_VALUE, "'delta' and 'level' are both given; an inventory event has exactly one of them"),
            arguments(INVENTORY + ",\"level\":-1}", BAD_VALUE, "'level' must be between 0 and 1000000000000000, got -1"),
            arguments(INVENTORY + ",\"level\":1000000000000001}", BAD_VALUE,
                "'level' must be between 0 and 1000000000000000, got 1000000000000001"),
            arguments(INVENTORY + ",\"delta\":-9223372036854775808}", BAD_VALUE,
                "'delta' must be between -1000000000000000 and 1000000000000000, got -9223372036854775808"),
            arguments(INVENTORY + ",\"delta\":\"-6\"}", BAD_VALUE, "'delta' must be an integer, got '-6'"),
            arguments(INVENTORY + ",\"delta\":99999999999999999999}", BAD_VALUE, "'delta' is out of range, got 99999999999999999999"),
            // BAD_VALUE: enumerations, label, ip
            arguments(ORDER + ",\"channel\":\"fax\"}", BAD_VALUE, "'channel' must be one of web, app, pos, phone, marketplace, other, got 'fax'"),
            arguments(PAYMENT.replace("FAILED", "PENDING") + "}", BAD_VALUE,
                "'result' must be one of AUTHORIZED, DECLINED, FAILED, CAPTURED, REFUNDED, CHARGEBACK, got 'PENDING'"),
            arguments("{\"type\":\"orderStatus\"," + T + ",\"orderId\":\"o\",\"status\":\"LOST\"}", BAD_VALUE,
                "'status' must be one of CREATED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED, got 'LOST'"),
            arguments("{\"type\":\"activity\"," + T + ",\"userId\":\"u\",\"kind\":\"CLICK\"}", BAD_VALUE,
                "'kind' must be one of SIGNUP, LOGIN, VIEW, ADD_TO_CART, got 'CLICK'"),
            arguments("{\"type\":\"activity\"," + T + ",\"userId\":\"u\",\"kind\":\"ſignup\"}", BAD_VALUE, // a long s folds to S in Java
                "'kind' must be one of SIGNUP, LOGIN, VIEW, ADD_TO_CART, got 'ſignup'"),
            arguments("{\"type\":\"activity\"," + T + ",\"userId\":\"u\",\"kind\":3}", BAD_VALUE, "'kind' must be a string, got 3"),
            arguments(ORDER + ",\"label\":2}", BAD_VALUE, "'label' must be the number 0 or 1, got 2"),
            arguments(PAYMENT + ",\"label\":\"1\"}", BAD_VALUE, "'label' must be the number 0 or 1, got '1' (a string: write the number without quotes)"),
            arguments(PAYMENT + ",\"label\":true}", BAD_VALUE, "'label' must be the number 0 or 1, got true"),
            arguments(ORDER + ",\"ip\":\"example.com\"}", BAD_VALUE, "'ip' is not an IPv4 or IPv6 address: 'example.com'"),
            arguments(ACTIVITY + ",\"ip\":\"256.1.2.3\"}", BAD_VALUE, "'ip' is not an IPv4 or IPv6 address: '256.1.2.3'"),
            arguments(ACTIVITY + ",\"ip\":\"" + "1:".repeat(23) + "1\"}", BAD_VALUE, "'ip' is 47 characters, the maximum is 45"),
            arguments(ACTIVITY + ",\"ip\":10}", BAD_VALUE, "'ip' must be a string, got 10"),
            arguments(ACTIVITY + ",\"sku\":\"a\",\"item\":\"b\"}", BAD_VALUE, "'sku' and its alias 'item' are both given; use one"),
            // TOO_LARGE
            arguments(JsonEventParserTest.orderWithItems(777), TOO_LARGE,
                "'items' has more than 776 entries, the most that fit in a message of 65536 bytes"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @MethodSource("rejects")
    void shouldRejectWithExactCodeAndReason(final String line, final RejectCode code, final String reason) {
        assertEquals(JsonEventParser.REJECTED, parser.parse(line, 17, 17, buffer, 0, result));
        assertEquals(code, result.code(), result::toString);
        assertEquals(reason, result.reason());
        assertEquals(17, result.line());
        assertEquals(0, result.encodedLength());
    }

    @org.junit.jupiter.api.Test
    void shouldTakeALineAmountExactlyAtTheBoundAndRefuseOneMinorUnitMore() {
        assertTrue(parser.parse(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":-2,\"unitPrice\":\"5000000000000.00\"}]}", 17, 17,
                buffer, 0, result) != JsonEventParser.REJECTED, result::toString);
        assertEquals(JsonEventParser.REJECTED, parser.parse(ORDER + ",\"items\":[{\"sku\":\"a\",\"qty\":-2,"
                + "\"unitPrice\":\"5000000000000.01\"}]}", 17, 17, buffer, 0, result));
        assertEquals("'items[0]' amount (qty x unitPrice) is too large: -2 x 5000000000000.01 is beyond 10000000000000.00"
                + " (10^15 minor units), the bound of an amount", result.reason());
    }
}
