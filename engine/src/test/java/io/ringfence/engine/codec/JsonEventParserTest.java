package io.ringfence.engine.codec;

import io.ringfence.engine.model.Times;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.sbe.RejectCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonEventParserTest {
    private static final String TIME = "\"time\":\"2011-12-09T12:50:00Z\"";
    private static final long T0 = Times.parseMicros("time", "2011-12-09T12:50:00Z");

    private final JsonEventParser parser = new JsonEventParser();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final ParseResult result = new ParseResult();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    private int parseOk(final String line, final long clientSeq) {
        final int length = parser.parse(line, 7, clientSeq, buffer, 0, result);
        assertFalse(result.isRejected(), () -> result.toString());
        assertEquals(length, result.encodedLength());
        assertEquals(7, result.line());
        header.wrap(buffer, 0);
        assertEquals(header.templateId(), result.templateId());
        return length;
    }

    private OrderDecoder order(final String line) {
        parseOk(line, 42);
        assertEquals(OrderDecoder.TEMPLATE_ID, header.templateId());
        return new OrderDecoder().wrapAndApplyHeader(buffer, 0, header);
    }

    @Test
    void shouldParseOrderWithEveryOptionalField() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"536365\",\"userId\":\"17850\","
            + "\"amount\":\"139.12\",\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"ip\":\"10.1.2.3\","
            + "\"deviceId\":\"d-77\",\"instrumentId\":\"card-9\",\"merchantId\":\"shop-1\",\"channel\":\"web\",\"label\":1,"
            + "\"items\":[{\"sku\":\"85123A\",\"qty\":6,\"unitPrice\":\"2.55\",\"category\":\"home\"},"
            + "{\"sku\":\"71053\",\"qty\":-2,\"unitPrice\":3.39,\"currency\":\"GBP\"}]}");
        assertEquals(42, d.clientSeq());
        assertEquals(T0, d.eventTime());
        assertEquals("536365", d.orderId());
        assertEquals("17850", d.userId());
        assertEquals(13912, d.amount());
        assertEquals("GBP", d.currency());
        assertEquals("United Kingdom", d.country());
        assertEquals("10.1.2.3", d.ip());
        assertEquals("d-77", d.deviceId());
        assertEquals("card-9", d.instrumentId());
        assertEquals("shop-1", d.merchantId());
        assertEquals(Channel.WEB, d.channel());
        assertEquals(1, d.label());
        final OrderDecoder.ItemsDecoder items = d.items();
        assertEquals(2, items.count());
        items.next();
        assertEquals("85123A", items.sku());
        assertEquals(6, items.qty());
        assertEquals(255, items.unitPrice());
        assertEquals("home", items.category());
        items.next();
        assertEquals("71053", items.sku());
        assertEquals(-2, items.qty());
        assertEquals(339, items.unitPrice());
        assertEquals("", items.category());
    }

    @Test
    void shouldFillDefaultsForAMinimalOrder() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"1\",\"userId\":\"2\",\"amount\":5,\"currency\":\"JPY\"}");
        assertEquals(5, d.amount());
        assertEquals("", d.merchantId());
        assertEquals("", d.country());
        assertEquals("", d.ip());
        assertEquals(Channel.UNSPECIFIED, d.channel());
        assertEquals(OrderDecoder.labelNullValue(), d.label());
        assertEquals(0, d.items().count());
    }

    @Test
    void shouldDefaultItemQtyToOneAndUnitPriceToZero() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"1\",\"userId\":\"2\",\"amount\":\"1.00\","
            + "\"currency\":\"EUR\",\"items\":[{\"sku\":\"a\"}]}");
        final OrderDecoder.ItemsDecoder items = d.items();
        items.next();
        assertEquals(1, items.qty());
        assertEquals(0, items.unitPrice());
    }

    @Test
    void shouldReadChannelInAnyCase() {
        final String[] names = {"WEB", "App", "pos", "PHONE", "MarketPlace", "other"};
        final Channel[] expected = {Channel.WEB, Channel.APP, Channel.POS, Channel.PHONE, Channel.MARKETPLACE, Channel.OTHER};
        for (int i = 0; i < names.length; i++) {
            final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"1\",\"userId\":\"2\",\"amount\":\"1\","
                + "\"currency\":\"EUR\",\"channel\":\"" + names[i] + "\"}");
            assertEquals(expected[i], d.channel());
        }
    }

    @Test
    void shouldReadTheTypeInAnyCaseAsTheEnumerations() {
        final String[] lines = {
            "{\"type\":\"ORDER\"," + TIME + ",\"orderId\":\"1\",\"userId\":\"2\",\"amount\":\"1\",\"currency\":\"EUR\"}",
            "{\"type\":\"Payment\"," + TIME + ",\"paymentId\":\"p\",\"amount\":\"1\",\"currency\":\"EUR\",\"result\":\"FAILED\"}",
            "{\"type\":\"ORDERSTATUS\"," + TIME + ",\"orderId\":\"1\",\"status\":\"PAID\"}",
            "{\"type\":\"orderstatus\"," + TIME + ",\"orderId\":\"1\",\"status\":\"PAID\"}",
            "{\"type\":\"INVENTORY\"," + TIME + ",\"sku\":\"a\",\"level\":3}",
            "{\"type\":\"aCtIvItY\"," + TIME + ",\"userId\":\"2\",\"kind\":\"VIEW\"}"};
        final int[] templates = {OrderDecoder.TEMPLATE_ID, PaymentDecoder.TEMPLATE_ID, OrderStatusDecoder.TEMPLATE_ID,
            OrderStatusDecoder.TEMPLATE_ID, InventoryDecoder.TEMPLATE_ID, ActivityDecoder.TEMPLATE_ID};
        for (int i = 0; i < lines.length; i++) {
            parseOk(lines[i], 1);
            assertEquals(templates[i], header.templateId(), lines[i]);
        }
    }

    @Test
    void shouldReadALowerCaseTAndZInTheTimeAsTheSameInstant() {
        final OrderDecoder d = order("{\"type\":\"order\",\"time\":\"2011-12-09t12:50:00z\",\"orderId\":\"1\",\"userId\":\"2\","
            + "\"amount\":\"1\",\"currency\":\"EUR\"}");
        assertEquals(T0, d.eventTime(), "RFC 3339 5.6: T and Z may be lower case");
    }

    @Test
    void shouldTakeAmountsGivenAsJsonNumbersExactly() {
        assertEquals(13912, order(orderWithAmount("139.12")).amount());
        assertEquals(30, order(orderWithAmount("0.30")).amount());
        assertEquals(10000, order(orderWithAmount("1e2")).amount());
        assertEquals(999999999999999L, order(orderWithAmount("9999999999999.99")).amount());
        assertEquals(1_000_000_000_000_000L, order(orderWithAmount("1e13")).amount(), "the largest accepted, 10^15 minor units");
    }

    private static String orderWithAmount(final String jsonAmount) {
        return "{\"type\":\"order\"," + TIME + ",\"orderId\":\"1\",\"userId\":\"2\",\"amount\":" + jsonAmount + ",\"currency\":\"GBP\"}";
    }

    @Test
    void shouldTakeIntegerIdsByTheirLiteralText() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":536365,\"userId\":-17850,"
            + "\"amount\":\"1\",\"currency\":\"GBP\",\"items\":[{\"sku\":85123}]}");
        assertEquals("536365", d.orderId());
        assertEquals("-17850", d.userId());
        final OrderDecoder.ItemsDecoder items = d.items();
        items.next();
        assertEquals("85123", items.sku());
    }

    @Test
    void shouldAcceptFieldsInAnyOrderWithTypeLast() {
        final OrderDecoder d = order("{\"currency\":\"GBP\",\"amount\":\"2\",\"userId\":\"u\",\"orderId\":\"o\"," + TIME + ",\"type\":\"order\"}");
        assertEquals("o", d.orderId());
        assertEquals(200, d.amount());
    }

    @Test
    void shouldIgnoreUnknownFieldsWhateverTheirShape() {
        final OrderDecoder d = order("{\"type\":\"order\",\"extra\":{\"orderId\":\"nested\",\"a\":[1,2,{\"b\":null}]},"
            + "\"status\":{\"x\":1},\"notes\":[\"a\"]," + TIME + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"2\","
            + "\"currency\":\"GBP\",\"Amount\":\"oops\",\"items\":[{\"sku\":\"s\",\"colour\":{\"r\":1}}]}");
        assertEquals("o", d.orderId());
        assertEquals(200, d.amount());
        assertEquals(1, d.items().count());
    }

    @Test
    void shouldTreatNullAndEmptyOptionalFieldsAsAbsent() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"2\","
            + "\"currency\":\"GBP\",\"merchantId\":\"\",\"country\":null,\"ip\":\"\",\"deviceId\":null,\"channel\":null,"
            + "\"label\":null,\"items\":null}");
        assertEquals("", d.merchantId());
        assertEquals("", d.country());
        assertEquals("", d.ip());
        assertEquals(Channel.UNSPECIFIED, d.channel());
        assertEquals(OrderDecoder.labelNullValue(), d.label());
        assertEquals(0, d.items().count());
    }

    @Test
    void shouldAcceptMultiByteIdsOfExactly36Bytes() {
        final String id = "€".repeat(12); // 12 x 3 bytes
        assertEquals(36, id.getBytes(StandardCharsets.UTF_8).length);
        final String emoji = "😀".repeat(9); // 9 x 4 bytes
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"" + id + "\",\"userId\":\"" + emoji
            + "\",\"amount\":\"2\",\"currency\":\"GBP\"}");
        assertEquals(id, d.orderId());
        assertEquals(emoji, d.userId());
        final byte[] raw = new byte[36];
        d.getOrderId(raw, 0);
        assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), raw);
    }

    @Test
    void shouldAcceptEscapedCharactersInIds() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"a\\\"b\\\\c\\u00e9\",\"userId\":\"u\","
            + "\"amount\":\"2\",\"currency\":\"GBP\"}");
        assertEquals("a\"b\\cé", d.orderId());
    }

    @Test
    void shouldAcceptIpv6AndIpv4MappedAddresses() {
        for (final String ip : new String[] {"::1", "2001:db8::ff00:42:8329", "::ffff:10.1.2.3",
            "0000:0000:0000:0000:0000:ffff:255.255.255.255"}) {
            final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"2\","
                + "\"currency\":\"GBP\",\"ip\":\"" + ip + "\"}");
            assertEquals(ip, d.ip());
        }
    }

    @Test
    void shouldConvertOffsetTimesToUtc() {
        final OrderDecoder d = order("{\"type\":\"order\",\"time\":\"2011-12-09T13:50:00.25+01:00\",\"orderId\":\"o\","
            + "\"userId\":\"u\",\"amount\":\"2\",\"currency\":\"GBP\"}");
        assertEquals(T0 + 250_000, d.eventTime());
    }

    @Test
    void shouldTakeCurrencyCodesInAnyCaseAndCarryThemUpperCase() {
        final OrderDecoder d = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1000\","
            + "\"currency\":\"jpy\"}");
        assertEquals("JPY", d.currency());
        assertEquals(1000, d.amount(), "yen have no minor unit: the lower-case code decided the digits like the upper-case one");
        parseOk("{\"type\":\"payment\"," + TIME + ",\"paymentId\":\"p\",\"amount\":\"1.5\",\"currency\":\"Gbp\",\"result\":\"FAILED\"}", 1);
        final PaymentDecoder p = new PaymentDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals("GBP", p.currency());
        assertEquals(150, p.amount());
        final OrderDecoder withItems = order("{\"type\":\"order\"," + TIME + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"3\","
            + "\"currency\":\"gbp\",\"items\":[{\"sku\":\"a\",\"unitPrice\":\"1.5\",\"currency\":\"gbp\"},"
            + "{\"sku\":\"b\",\"unitPrice\":\"1.5\",\"currency\":\"GBP\"}]}");
        assertEquals("GBP", withItems.currency());
        assertEquals(150, withItems.items().next().unitPrice(), "an item's currency in any case, as the order's");
    }

    @Test
    void shouldParsePaymentWithEveryOptionalField() {
        parseOk("{\"type\":\"payment\"," + TIME + ",\"paymentId\":\"p-1\",\"orderId\":\"536365\",\"userId\":\"17850\","
            + "\"instrumentId\":\"card-9\",\"amount\":\"139.12\",\"currency\":\"GBP\",\"result\":\"authorized\",\"label\":0}", 3);
        assertEquals(PaymentDecoder.TEMPLATE_ID, header.templateId());
        final PaymentDecoder d = new PaymentDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(3, d.clientSeq());
        assertEquals(T0, d.eventTime());
        assertEquals("p-1", d.paymentId());
        assertEquals("536365", d.orderId());
        assertEquals("17850", d.userId());
        assertEquals("card-9", d.instrumentId());
        assertEquals(13912, d.amount());
        assertEquals("GBP", d.currency());
        assertEquals(PaymentResult.AUTHORIZED, d.result());
        assertEquals(0, d.label());
    }

    @Test
    void shouldParseEveryPaymentResult() {
        for (final PaymentResult r : new PaymentResult[] {PaymentResult.AUTHORIZED, PaymentResult.DECLINED, PaymentResult.FAILED,
            PaymentResult.CAPTURED, PaymentResult.REFUNDED, PaymentResult.CHARGEBACK}) {
            parseOk("{\"type\":\"payment\"," + TIME + ",\"paymentId\":\"p\",\"amount\":\"1\",\"currency\":\"USD\",\"result\":\""
                + r.name() + "\"}", 1);
            final PaymentDecoder d = new PaymentDecoder().wrapAndApplyHeader(buffer, 0, header);
            assertEquals(r, d.result());
            assertEquals("", d.orderId());
            assertEquals(PaymentDecoder.labelNullValue(), d.label());
        }
    }

    @Test
    void shouldParseOrderStatusWithUser() {
        parseOk("{\"type\":\"orderStatus\"," + TIME + ",\"orderId\":\"536365\",\"userId\":\"17850\",\"status\":\"SHIPPED\"}", 9);
        assertEquals(OrderStatusDecoder.TEMPLATE_ID, header.templateId());
        final OrderStatusDecoder d = new OrderStatusDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(9, d.clientSeq());
        assertEquals(T0, d.eventTime());
        assertEquals("536365", d.orderId());
        assertEquals("17850", d.userId());
        assertEquals(OrderState.SHIPPED, d.status());
    }

    @Test
    void shouldParseEveryOrderState() {
        for (final OrderState s : new OrderState[] {OrderState.CREATED, OrderState.PAID, OrderState.SHIPPED, OrderState.DELIVERED,
            OrderState.CANCELLED, OrderState.REFUNDED}) {
            parseOk("{\"type\":\"orderStatus\"," + TIME + ",\"orderId\":\"o\",\"status\":\"" + s.name().toLowerCase() + "\"}", 1);
            final OrderStatusDecoder d = new OrderStatusDecoder().wrapAndApplyHeader(buffer, 0, header);
            assertEquals(s, d.status());
            assertEquals("", d.userId());
        }
    }

    @Test
    void shouldParseInventoryDeltaAndLevel() {
        parseOk("{\"type\":\"inventory\"," + TIME + ",\"sku\":\"85123A\",\"warehouse\":\"w1\",\"delta\":-6}", 1);
        assertEquals(InventoryDecoder.TEMPLATE_ID, header.templateId());
        InventoryDecoder d = new InventoryDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals("85123A", d.sku());
        assertEquals("w1", d.warehouse());
        assertEquals(InventoryMode.DELTA, d.mode());
        assertEquals(-6, d.quantity());

        parseOk("{\"type\":\"inventory\"," + TIME + ",\"sku\":\"85123A\",\"level\":0}", 2);
        d = new InventoryDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals("", d.warehouse());
        assertEquals(InventoryMode.LEVEL, d.mode());
        assertEquals(0, d.quantity());

        parseOk("{\"type\":\"inventory\"," + TIME + ",\"sku\":\"s\",\"delta\":-1000000000000000}", 3);
        d = new InventoryDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(-io.ringfence.engine.model.StockUnits.MAX, d.quantity(), "the bound itself is taken");
    }

    @Test
    void shouldParseActivityWithEveryOptionalField() {
        parseOk("{\"type\":\"activity\"," + TIME + ",\"userId\":\"17850\",\"kind\":\"ADD_TO_CART\",\"sessionId\":\"s-5\","
            + "\"sku\":\"85123A\",\"ip\":\"2001:db8::1\",\"deviceId\":\"d-77\"}", 5);
        assertEquals(ActivityDecoder.TEMPLATE_ID, header.templateId());
        final ActivityDecoder d = new ActivityDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(5, d.clientSeq());
        assertEquals(T0, d.eventTime());
        assertEquals("17850", d.userId());
        assertEquals(ActivityKind.ADD_TO_CART, d.kind());
        assertEquals("s-5", d.sessionId());
        assertEquals("85123A", d.sku());
        assertEquals("2001:db8::1", d.ip());
        assertEquals("d-77", d.deviceId());
    }

    @Test
    void shouldReadItemAsAnAliasOfSkuInActivity() {
        parseOk("{\"type\":\"activity\"," + TIME + ",\"userId\":\"u\",\"kind\":\"view\",\"item\":\"85123A\"}", 5);
        final ActivityDecoder d = new ActivityDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(ActivityKind.VIEW, d.kind());
        assertEquals("85123A", d.sku());
        assertEquals("", d.sessionId());
    }

    @Test
    void shouldWriteAtTheGivenOffsetOfAByteArrayLine() {
        final byte[] bytes = ("xx{\"type\":\"activity\"," + TIME + ",\"userId\":\"u\",\"kind\":\"LOGIN\"}\r\nyy")
            .getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer fixed = new UnsafeBuffer(new byte[512]);
        final int length = parser.parse(bytes, 2, bytes.length - 4, 1, 1, fixed, 100, result);
        assertFalse(result.isRejected(), result::toString);
        assertEquals(ActivityDecoder.TEMPLATE_ID, result.templateId());
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + ActivityDecoder.BLOCK_LENGTH, length);
        assertEquals(0, fixed.getByte(99));
        final ActivityDecoder d = new ActivityDecoder().wrapAndApplyHeader(fixed, 100, new MessageHeaderDecoder());
        assertEquals(ActivityKind.LOGIN, d.kind());
    }

    @Test
    void shouldAcceptAsManyItemsAsFitTheMessageLimitAndNoMore() {
        final JsonEventParser small = new JsonEventParser(1024);
        final int max = small.maxItems();
        assertEquals((1024 - JsonEventParser.MIN_MAX_MESSAGE_BYTES) / OrderDecoder.ItemsDecoder.sbeBlockLength(), max);
        assertTrue(small.parse(orderWithItems(max), 1, 1, buffer, 0, result) <= 1024, result::toString);
        assertFalse(result.isRejected());
        assertEquals(JsonEventParser.REJECTED, small.parse(orderWithItems(max + 1), 2, 2, buffer, 0, result));
        assertEquals(RejectCode.TOO_LARGE, result.code());
        assertEquals("'items' has more than " + max + " entries, the most that fit in a message of 1024 bytes", result.reason());
        assertEquals(776, new JsonEventParser().maxItems());
    }

    static String orderWithItems(final int count) {
        final StringBuilder sb = new StringBuilder("{\"type\":\"order\"," + TIME
            + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"2\",\"currency\":\"GBP\",\"items\":[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sku\":\"s").append(i).append("\",\"qty\":1}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void shouldLeaveTheDestinationUntouchedOnReject() {
        final UnsafeBuffer fixed = new UnsafeBuffer(new byte[512]);
        fixed.setMemory(0, 512, (byte) 0x5A);
        final String line = "{\"type\":\"order\"," + TIME + ",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"2\","
            + "\"currency\":\"GBP\",\"items\":[{\"sku\":\"a\"},{\"qty\":1}]}";
        assertEquals(JsonEventParser.REJECTED, parser.parse(line, 3, 3, fixed, 0, result));
        assertEquals(RejectCode.MISSING_FIELD, result.code());
        for (int i = 0; i < 512; i++) {
            assertEquals(0x5A, fixed.getByte(i), "byte " + i);
        }
    }

    @Test
    void shouldRejectWhenAFixedBufferIsTooSmall() {
        final UnsafeBuffer tiny = new UnsafeBuffer(new byte[64]);
        assertEquals(JsonEventParser.REJECTED, parser.parse("{\"type\":\"activity\"," + TIME + ",\"userId\":\"u\",\"kind\":\"LOGIN\"}",
            1, 1, tiny, 0, result));
        assertEquals(RejectCode.TOO_LARGE, result.code());
    }

    @Test
    void shouldReuseTheResultAcrossLines() {
        parser.parse("{}", 1, 1, buffer, 0, result);
        assertTrue(result.isRejected());
        parseOk("{\"type\":\"activity\"," + TIME + ",\"userId\":\"u\",\"kind\":\"LOGIN\"}", 2);
        assertEquals(null, result.code());
        assertEquals(null, result.reason());
    }

    @Test
    void shouldRejectInvalidUtf8AsMalformed() {
        final byte[] line = ("{\"type\":\"activity\"," + TIME + ",\"userId\":\"u?\",\"kind\":\"LOGIN\"}").getBytes(StandardCharsets.UTF_8);
        line[line.length - 19] = (byte) 0xC3;
        assertEquals(JsonEventParser.REJECTED, parser.parse(line, 0, line.length, 4, 4, buffer, 0, result));
        assertEquals(RejectCode.MALFORMED, result.code());
        assertEquals("the line is not valid UTF-8 at byte 60 (C3: a truncated or broken sequence)", result.reason());
    }

    @Test
    void shouldSkipAByteOrderMark() {
        final byte[] json = ("{\"type\":\"activity\"," + TIME + ",\"userId\":\"u\",\"kind\":\"LOGIN\"}").getBytes(StandardCharsets.UTF_8);
        final byte[] line = new byte[json.length + 3];
        line[0] = (byte) 0xEF;
        line[1] = (byte) 0xBB;
        line[2] = (byte) 0xBF;
        System.arraycopy(json, 0, line, 3, json.length);
        parser.parse(line, 0, line.length, 1, 1, buffer, 0, result);
        assertFalse(result.isRejected(), result::toString);
    }

    @Test
    void shouldRefuseAMessageLimitSmallerThanAnOrder() {
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new JsonEventParser(100));
        assertEquals("maxMessageBytes must be at least " + JsonEventParser.MIN_MAX_MESSAGE_BYTES + " (an order without items), got 100",
            e.getMessage());
    }

    /**
     * Audit: Jackson decoded the overlong {@code C0 AF} (and {@code E0 80 AF}) as '/', so "x\xC0\xAF" cancelled the
     * order "x/"; other ill-formed sequences were refused under wrong reasons ("unpaired surrogate" for F4 90 80 80,
     * "control character" for C0 80). Every ill-formed sequence is now MALFORMED with what is wrong and where.
     */
    @Test
    void shouldRefuseIllFormedUtf8AnywhereInTheLineSayingWhatAndWhere() {
        final String[][] cases = {
            {"C0 AF", "an overlong encoding"}, {"E0 80 AF", "an overlong encoding"}, {"C0 80", "an overlong encoding"},
            {"F0 8F BF BF", "an overlong encoding"}, {"ED A0 80", "a surrogate, which UTF-8 may not encode"},
            {"F4 90 80 80", "beyond U+10FFFF"}, {"F5 80 80 80", "beyond U+10FFFF"},
            {"80", "a continuation byte without a lead byte"}, {"E2 82", "a truncated or broken sequence"},
        };
        for (final String[] c : cases) {
            final String[] hex = c[0].split(" ");
            final byte[] bad = new byte[hex.length];
            for (int i = 0; i < hex.length; i++) {
                bad[i] = (byte) Integer.parseInt(hex[i], 16);
            }
            final byte[] head = "{\"type\":\"orderStatus\",\"time\":\"2026-01-05T10:00:01Z\",\"orderId\":\"x".getBytes(StandardCharsets.UTF_8);
            final byte[] tail = "\",\"status\":\"CANCELLED\"}".getBytes(StandardCharsets.UTF_8);
            final byte[] line = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, line, 0, head.length);
            System.arraycopy(bad, 0, line, head.length, bad.length);
            System.arraycopy(tail, 0, line, head.length + bad.length, tail.length);
            assertEquals(JsonEventParser.REJECTED, parser.parse(line, 0, line.length, 9, 9, buffer, 0, result), c[0]);
            assertEquals(RejectCode.MALFORMED, result.code(), c[0] + ": " + result);
            assertEquals("the line is not valid UTF-8 at byte " + (head.length + 1) + " (" + c[0] + ": " + c[1] + ")",
                result.reason(), c[0]);
        }
        // well-formed multi-byte text still passes: 2, 3 and 4 bytes, up to U+10FFFF's neighbours
        for (final String id : new String[] {"\u00e9t\u00e9", "\u20ac", "\ud83d\ude00", "\ud7ff\ue000"}) {
            parseOk("{\"type\":\"orderStatus\"," + TIME + ",\"orderId\":\"" + id + "\",\"status\":\"CANCELLED\"}", 1);
        }
    }

    /** Audit: reasons named the parser's switches ("enable `JsonReadFeature...`") and a column of -1. */
    @Test
    void shouldGiveReasonsWithoutTheParsersInternals() {
        final String deep = "{\"a\":".repeat(1200) + "1" + "}".repeat(1200);
        final String[][] cases = {
            {"{\"type\":\"order\",\"x\":NaN}", "malformed JSON at column 24: Non-standard token 'NaN'"},
            {"{\"type\":\"order\" /* c */}", "malformed JSON at column 17: Unexpected character ('/' (code 47)): maybe a (non-standard) comment?"},
            {deep, "malformed JSON: objects and arrays nested deeper than 1000 levels"},
        };
        for (final String[] c : cases) {
            assertEquals(JsonEventParser.REJECTED, parser.parse(c[0], 3, 3, buffer, 0, result));
            assertEquals(c[1], result.reason());
        }
        final byte[] utf16 = {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0};
        assertEquals(JsonEventParser.REJECTED, parser.parse(utf16, 0, utf16.length, 4, 4, buffer, 0, result));
        assertTrue(result.reason().contains("FF FE or FE FF starts a UTF-16 file: save the file as UTF-8"), result.reason());
    }
}
