package io.ringfence.engine.codec;

import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonEventWriterTest {
    private final JsonEventParser parser = new JsonEventParser();
    private final JsonEventWriter writer = new JsonEventWriter();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(2048);
    private final ParseResult result = new ParseResult();

    private String rewrite(final String line) {
        parser.parse(line, 1, 1, buffer, 0, result);
        assertFalse(result.isRejected(), result::toString);
        return writer.toJson(buffer, 0);
    }

    private void assertWrittenBackUnchanged(final String line) {
        assertEquals(line, rewrite(line));
    }

    @Test
    void shouldWriteTheDesignExamplesBackExactly() {
        assertWrittenBackUnchanged("{\"type\":\"order\",\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"536365\",\"userId\":\"17850\","
            + "\"amount\":\"139.12\",\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"ip\":\"10.1.2.3\",\"deviceId\":\"d-77\","
            + "\"instrumentId\":\"card-9\",\"merchantId\":\"shop-1\",\"channel\":\"web\","
            + "\"items\":[{\"sku\":\"85123A\",\"qty\":6,\"unitPrice\":\"2.55\",\"category\":\"home\"}]}");
        assertWrittenBackUnchanged("{\"type\":\"payment\",\"time\":\"2011-12-09T12:50:02Z\",\"paymentId\":\"p-1\",\"orderId\":\"536365\","
            + "\"userId\":\"17850\",\"instrumentId\":\"card-9\",\"amount\":\"139.12\",\"currency\":\"GBP\",\"result\":\"AUTHORIZED\"}");
        assertWrittenBackUnchanged("{\"type\":\"orderStatus\",\"time\":\"2011-12-10T09:00:00Z\",\"orderId\":\"536365\",\"userId\":\"17850\","
            + "\"status\":\"SHIPPED\"}");
        assertWrittenBackUnchanged("{\"type\":\"inventory\",\"time\":\"2011-12-09T12:50:00Z\",\"sku\":\"85123A\",\"warehouse\":\"w1\",\"delta\":-6}");
        assertWrittenBackUnchanged("{\"type\":\"activity\",\"time\":\"2011-12-09T12:40:00Z\",\"userId\":\"17850\",\"kind\":\"SIGNUP\","
            + "\"ip\":\"10.1.2.3\",\"deviceId\":\"d-77\"}");
    }

    @Test
    void shouldWriteEveryOptionalFieldInFixedOrder() {
        assertWrittenBackUnchanged("{\"type\":\"order\",\"time\":\"2011-12-09T12:50:00.123456Z\",\"orderId\":\"o\",\"userId\":\"u\","
            + "\"amount\":\"1.234\",\"currency\":\"BHD\",\"country\":\"GB\",\"ip\":\"::1\",\"deviceId\":\"d\",\"instrumentId\":\"i\","
            + "\"merchantId\":\"m\",\"channel\":\"marketplace\",\"label\":1,\"items\":[{\"sku\":\"a\",\"qty\":-1,\"unitPrice\":\"0.000\"},"
            + "{\"sku\":\"b\",\"qty\":2,\"unitPrice\":\"10.500\",\"category\":\"c\"}]}");
        assertWrittenBackUnchanged("{\"type\":\"payment\",\"time\":\"2011-12-09T12:50:00Z\",\"paymentId\":\"p\",\"amount\":\"1200\","
            + "\"currency\":\"JPY\",\"result\":\"CHARGEBACK\",\"label\":0}");
        assertWrittenBackUnchanged("{\"type\":\"inventory\",\"time\":\"2011-12-09T12:50:00Z\",\"sku\":\"s\",\"level\":120}");
        assertWrittenBackUnchanged("{\"type\":\"activity\",\"time\":\"2011-12-09T12:50:00Z\",\"userId\":\"u\",\"kind\":\"VIEW\","
            + "\"sessionId\":\"s-5\",\"sku\":\"85123A\",\"ip\":\"2001:db8::1\",\"deviceId\":\"d\"}");
    }

    @Test
    void shouldWriteInputsInCanonicalForm() {
        assertEquals("{\"type\":\"order\",\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"536365\",\"userId\":\"17850\","
                + "\"amount\":\"100.00\",\"currency\":\"GBP\",\"channel\":\"app\",\"items\":[{\"sku\":\"a\",\"qty\":1,\"unitPrice\":\"0.00\"}]}",
            rewrite("{\"channel\":\"APP\",\"type\":\"order\",\"time\":\"2011-12-09T13:50:00+01:00\",\"orderId\":536365,\"userId\":17850,"
                + "\"amount\":1e2,\"currency\":\"GBP\",\"merchantId\":\"\",\"label\":null,\"items\":[{\"sku\":\"a\"}],\"extra\":1}"));
        assertEquals("{\"type\":\"activity\",\"time\":\"2011-12-09T12:50:00.100Z\",\"userId\":\"u\",\"kind\":\"ADD_TO_CART\",\"sku\":\"x\"}",
            rewrite("{\"type\":\"activity\",\"time\":\"2011-12-09T12:50:00.1Z\",\"userId\":\"u\",\"kind\":\"add_to_cart\",\"item\":\"x\"}"));
    }

    @Test
    void shouldKeepIdsUnchangedIncludingMultiByteAndEscapedCharacters() {
        final String id36 = "€".repeat(12);
        final String emoji36 = "😀".repeat(9);
        assertWrittenBackUnchanged("{\"type\":\"orderStatus\",\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"" + id36 + "\","
            + "\"userId\":\"" + emoji36 + "\",\"status\":\"PAID\"}");
        assertWrittenBackUnchanged("{\"type\":\"orderStatus\",\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"a\\\"b\\\\c/d é\","
            + "\"status\":\"PAID\"}");
    }

    @Test
    void shouldPrefixSeqAndIngestTimeWhenGiven() throws IOException {
        parser.parse("{\"type\":\"inventory\",\"time\":\"2011-12-09T12:50:00Z\",\"sku\":\"85123A\",\"delta\":-6}", 1, 1, buffer, 0, result);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(buffer, 0, 42, 1_323_435_000_000_001L, out);
        writer.write(buffer, 0, out);
        assertEquals("{\"seq\":42,\"ingestTime\":\"2011-12-09T12:50:00.000001Z\",\"type\":\"inventory\",\"time\":\"2011-12-09T12:50:00Z\","
                + "\"sku\":\"85123A\",\"delta\":-6}\n"
                + "{\"type\":\"inventory\",\"time\":\"2011-12-09T12:50:00Z\",\"sku\":\"85123A\",\"delta\":-6}\n",
            out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseMessagesThatAreNotInboundEvents() {
        new DecisionEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.toJson(buffer, 0));
        assertEquals("not an inbound event: template id 20", e.getMessage());
        buffer.putShort(4, (short) 1);
        assertEquals("not a ringfence message: schema id 1",
            assertThrows(IllegalArgumentException.class, () -> writer.toJson(buffer, 0)).getMessage());
    }
}
