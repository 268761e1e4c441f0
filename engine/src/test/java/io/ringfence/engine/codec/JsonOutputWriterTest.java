package io.ringfence.engine.codec;

import io.ringfence.engine.model.Times;
import io.ringfence.sbe.AnomalyAlertEncoder;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.FraudAlertEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusPushEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;
import io.ringfence.sbe.StockPushEncoder;
import io.ringfence.sbe.StockSignal;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.TrendingPushEncoder;
import io.ringfence.sbe.WindowResultEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonOutputWriterTest {
    private static final long T0 = Times.parseMicros("time", "2011-12-09T12:50:00Z");
    private static final long HOUR = 3_600_000_000L;

    private final JsonOutputWriter writer = new JsonOutputWriter();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(2048);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    private String json() {
        return writer.toJson(buffer, 0);
    }

    @Test
    void shouldWriteAnOrderDecisionWithUserClientSeqAndReasons() {
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(42).clientSeq(17).eventTime(T0).subjectKind(SubjectKind.ORDER).subjectId("536365").userId("17850")
            .outcome(Outcome.APPROVE).score(0.031).ingestTime(T0 + 5);
        e.reasonsCount(2).next().code("NEW_DEVICE").next().code("HIGH_VELOCITY_USER");
        assertEquals("{\"type\":\"decision\",\"seq\":42,\"clientSeq\":17,\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"536365\","
            + "\"userId\":\"17850\",\"decision\":\"APPROVE\",\"score\":0.031,\"reasons\":[\"NEW_DEVICE\",\"HIGH_VELOCITY_USER\"]}", json());
    }

    /** Trial: 28,089 of 102,784 PaySim decisions read "score":1.57E-4. */
    @Test
    void shouldWriteASmallScoreAsAPlainDecimal() {
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(44).clientSeq(19).eventTime(T0).subjectKind(SubjectKind.PAYMENT).subjectId("p-2").userId("")
            .outcome(Outcome.APPROVE).score(1.57E-4);
        e.reasonsCount(0);
        assertTrue(json().contains("\"score\":0.000157,"), json());
        assertEquals("0.000157", PlainNumbers.plain(1.57E-4));
        assertEquals("0.031", PlainNumbers.plain(0.031));
        assertEquals("12000000", PlainNumbers.plain(1.2E7));
        assertEquals("-0.00000123", PlainNumbers.plain(-1.23E-6));
        assertEquals(1.57E-4, Double.parseDouble(PlainNumbers.plain(1.57E-4)), "the same double back");
    }

    @Test
    void shouldWriteAPaymentDecisionWithoutUserAndWithEmptyReasons() {
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(43).clientSeq(18).eventTime(T0 + 1).subjectKind(SubjectKind.PAYMENT).subjectId("p-1").userId("")
            .outcome(Outcome.DECLINE).score(1.0);
        e.reasonsCount(0);
        assertEquals("{\"type\":\"decision\",\"seq\":43,\"clientSeq\":18,\"time\":\"2011-12-09T12:50:00.000001Z\",\"paymentId\":\"p-1\","
            + "\"decision\":\"DECLINE\",\"score\":1.0,\"reasons\":[]}", json());
    }

    @Test
    void shouldWriteAPaymentsOrderAfterItsIdAndNotRepeatAnOrdersOwn() {
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(44).clientSeq(19).eventTime(T0).subjectKind(SubjectKind.PAYMENT).subjectId("p-2").userId("17850")
            .outcome(Outcome.REVIEW).score(0.5).ingestTime(T0).orderId("536365");
        e.reasonsCount(0);
        assertEquals("{\"type\":\"decision\",\"seq\":44,\"clientSeq\":19,\"time\":\"2011-12-09T12:50:00Z\",\"paymentId\":\"p-2\","
            + "\"orderId\":\"536365\",\"userId\":\"17850\",\"decision\":\"REVIEW\",\"score\":0.5,\"reasons\":[]}", json());

        final DecisionEncoder order = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        order.seq(45).clientSeq(20).eventTime(T0).subjectKind(SubjectKind.ORDER).subjectId("536366").userId("17850")
            .outcome(Outcome.APPROVE).score(0.1).ingestTime(T0).orderId("536366");
        order.reasonsCount(0);
        assertEquals("{\"type\":\"decision\",\"seq\":45,\"clientSeq\":20,\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"536366\","
            + "\"userId\":\"17850\",\"decision\":\"APPROVE\",\"score\":0.1,\"reasons\":[]}", json());
    }

    @Test
    void shouldReadADecisionOfSchemaVersionZeroWithoutItsOrder() {
        // an answer kept from a version-0 engine (resends from an older snapshot) has no orderId: nothing is made up
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(46).clientSeq(21).eventTime(T0).subjectKind(SubjectKind.PAYMENT).subjectId("p-3").userId("17850")
            .outcome(Outcome.APPROVE).score(0.0).ingestTime(T0).orderId("536365");
        e.reasonsCount(0);
        header.version(0);
        assertEquals("{\"type\":\"decision\",\"seq\":46,\"clientSeq\":21,\"time\":\"2011-12-09T12:50:00Z\",\"paymentId\":\"p-3\","
            + "\"userId\":\"17850\",\"decision\":\"APPROVE\",\"score\":0.0,\"reasons\":[]}", json());
    }

    @Test
    void shouldWriteNonFiniteScoresAsNull() {
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(1).clientSeq(1).eventTime(T0).subjectKind(SubjectKind.ORDER).subjectId("o").userId("u")
            .outcome(Outcome.REVIEW).score(Double.NaN);
        e.reasonsCount(0);
        assertEquals("{\"type\":\"decision\",\"seq\":1,\"clientSeq\":1,\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"o\","
            + "\"userId\":\"u\",\"decision\":\"REVIEW\",\"score\":null,\"reasons\":[]}", json());
    }

    @Test
    void shouldWriteAnEngineRejectWithItsClientSeqAsLine() {
        final RejectEncoder e = new RejectEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(-1).clientSeq(17).code(RejectCode.THROTTLED).reason("too many \"orders\" from session s-1");
        assertEquals("{\"type\":\"reject\",\"seq\":-1,\"line\":17,\"code\":\"THROTTLED\","
            + "\"reason\":\"too many \\\"orders\\\" from session s-1\"}", json());
    }

    @Test
    void shouldNameTheClientSeqOfARejectOfAnEventAGatewayClientSent() {
        final RejectEncoder e = new RejectEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(5).clientSeq(17).code(RejectCode.UNKNOWN_ORDER).reason("unknown order");
        writer.rejectsNameClientSeq(true);
        assertEquals("{\"type\":\"reject\",\"seq\":5,\"clientSeq\":17,\"code\":\"UNKNOWN_ORDER\",\"reason\":\"unknown order\"}", json());
    }

    @Test
    void shouldWriteAParseRejectDirectly() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeReject(17, RejectCode.MISSING_FIELD, "missing required field 'userId' for type 'order'", out);
        final ParseResult result = new ParseResult();
        new JsonEventParser().parse("{\"type\":\"refund\"}", 18, 18, buffer, 0, result);
        writer.writeReject(result, out);
        assertEquals("{\"type\":\"reject\",\"seq\":-1,\"line\":17,\"code\":\"MISSING_FIELD\","
                + "\"reason\":\"missing required field 'userId' for type 'order'\"}\n"
                + "{\"type\":\"reject\",\"seq\":-1,\"line\":18,\"code\":\"UNKNOWN_TYPE\","
                + "\"reason\":\"unknown type 'refund' (expected order, payment, orderStatus, inventory, activity)\"}\n",
            out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseToWriteAnAcceptedParseResultAsAReject() {
        final ParseResult accepted = new ParseResult();
        new JsonEventParser().parse("{\"type\":\"activity\",\"time\":\"2011-12-09T12:50:00Z\",\"userId\":\"u\",\"kind\":\"VIEW\"}",
            1, 1, buffer, 0, accepted);
        assertThrows(IllegalArgumentException.class, () -> writer.writeReject(accepted, new ByteArrayOutputStream()));
    }

    private void windowResult(final String currency, final String key) {
        final WindowResultEncoder e = new WindowResultEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(97).start(T0 - 50 * 60_000_000L).end(T0 - 50 * 60_000_000L + HOUR).window("gmv_by_country_1h").currency(currency)
            .count(12).lateTotal(3);
        final WindowResultEncoder.MetricsEncoder m = e.metricsCount(6);
        m.next().name("sum").kind(MetricKind.MONEY).longValue(123456).doubleValue(0);
        m.next().name("max").kind(MetricKind.MONEY).longValue(-50).doubleValue(0);
        m.next().name("distinctUserId").kind(MetricKind.COUNT).longValue(7).doubleValue(0);
        m.next().name("mean").kind(MetricKind.NUMBER).longValue(0).doubleValue(102.88);
        m.next().name("count").kind(MetricKind.COUNT).longValue(12).doubleValue(0);
        m.next().name("stddev").kind(MetricKind.NUMBER).longValue(0).doubleValue(Double.POSITIVE_INFINITY);
        final WindowResultEncoder.TopItemsEncoder t = e.topItemsCount(4);
        t.next().metric("topkSku").item("85123A").occurrences(10).overcount(0);
        t.next().metric("topkCategory").item("home").occurrences(9).overcount(0);
        t.next().metric("topkSku").item("71053").occurrences(4).overcount(3); // an estimate: true count 1..4
        t.next().metric("topkCategory").item("garden").occurrences(1).overcount(0);
        e.key(key);
    }

    @Test
    void shouldWriteAWindowResultWithMetricsAsFieldsAndTopItemsGrouped() {
        windowResult("GBP", "United Kingdom");
        assertEquals("{\"type\":\"windowResult\",\"seq\":97,\"window\":\"gmv_by_country_1h\",\"key\":\"United Kingdom\","
            + "\"start\":\"2011-12-09T12:00:00Z\",\"end\":\"2011-12-09T13:00:00Z\",\"currency\":\"GBP\",\"count\":12,"
            + "\"sum\":\"1234.56\",\"max\":\"-0.50\",\"distinctUserId\":7,\"mean\":102.88,\"stddev\":null,"
            + "\"topkSku\":[{\"item\":\"85123A\",\"count\":10},{\"item\":\"71053\",\"count\":4,\"overcount\":3}],"
            + "\"topkCategory\":[{\"item\":\"home\",\"count\":9},{\"item\":\"garden\",\"count\":1}],"
            + "\"lateTotal\":3}", json());
    }

    @Test
    void shouldOmitABlankCurrencyAndWriteMoneyAsMinorUnits() {
        windowResult("", "17850|d-77 ü");
        assertEquals("{\"type\":\"windowResult\",\"seq\":97,\"window\":\"gmv_by_country_1h\",\"key\":\"17850|d-77 ü\","
            + "\"start\":\"2011-12-09T12:00:00Z\",\"end\":\"2011-12-09T13:00:00Z\",\"count\":12,"
            + "\"sum\":123456,\"max\":-50,\"distinctUserId\":7,\"mean\":102.88,\"stddev\":null,"
            + "\"topkSku\":[{\"item\":\"85123A\",\"count\":10},{\"item\":\"71053\",\"count\":4,\"overcount\":3}],"
            + "\"topkCategory\":[{\"item\":\"home\",\"count\":9},{\"item\":\"garden\",\"count\":1}],"
            + "\"lateTotal\":3}", json());
    }

    @Test
    void shouldWriteAWindowResultWithoutMetricsOrTopItems() {
        final WindowResultEncoder e = new WindowResultEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(5).start(0).end(HOUR).window("w").currency("JPY").count(0).lateTotal(0);
        e.metricsCount(0);
        e.topItemsCount(0);
        e.key("");
        assertEquals("{\"type\":\"windowResult\",\"seq\":5,\"window\":\"w\",\"key\":\"\",\"start\":\"1970-01-01T00:00:00Z\","
            + "\"end\":\"1970-01-01T01:00:00Z\",\"currency\":\"JPY\",\"count\":0,\"lateTotal\":0}", json());
    }

    @Test
    void shouldWriteAnOrderStatusPush() {
        new OrderStatusPushEncoder().wrapAndApplyHeader(buffer, 0, header)
            .seq(50).eventTime(T0).orderId("536365").userId("17850").status(OrderState.SHIPPED);
        assertEquals("{\"type\":\"orderStatusPush\",\"seq\":50,\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"536365\","
            + "\"userId\":\"17850\",\"status\":\"SHIPPED\"}", json());
    }

    @Test
    void shouldWriteAStockPushOmittingAnEmptyWarehouse() {
        new StockPushEncoder().wrapAndApplyHeader(buffer, 0, header)
            .seq(51).eventTime(T0).sku("85123A").warehouse("w1").level(3).signal(StockSignal.LOW);
        assertEquals("{\"type\":\"stockPush\",\"seq\":51,\"time\":\"2011-12-09T12:50:00Z\",\"sku\":\"85123A\",\"warehouse\":\"w1\","
            + "\"level\":3,\"signal\":\"LOW\"}", json());
        new StockPushEncoder().wrapAndApplyHeader(buffer, 0, header)
            .seq(52).eventTime(T0).sku("85123A").warehouse("").level(0).signal(StockSignal.OUT);
        assertEquals("{\"type\":\"stockPush\",\"seq\":52,\"time\":\"2011-12-09T12:50:00Z\",\"sku\":\"85123A\","
            + "\"level\":0,\"signal\":\"OUT\"}", json());
    }

    @Test
    void shouldWriteAFraudAlert() {
        final FraudAlertEncoder e = new FraudAlertEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(52).eventTime(T0).subjectKind(SubjectKind.PAYMENT).subjectId("p-1").userId("17850").outcome(Outcome.DECLINE).score(0.97);
        e.reasonsCount(1).next().code("CARD_TESTING");
        assertEquals("{\"type\":\"fraudAlert\",\"seq\":52,\"time\":\"2011-12-09T12:50:00Z\",\"paymentId\":\"p-1\",\"userId\":\"17850\","
            + "\"decision\":\"DECLINE\",\"score\":0.97,\"reasons\":[\"CARD_TESTING\"]}", json());
        e.orderId("536365");
        assertEquals("{\"type\":\"fraudAlert\",\"seq\":52,\"time\":\"2011-12-09T12:50:00Z\",\"paymentId\":\"p-1\",\"orderId\":\"536365\","
            + "\"userId\":\"17850\",\"decision\":\"DECLINE\",\"score\":0.97,\"reasons\":[\"CARD_TESTING\"]}", json());
    }

    @Test
    void shouldWriteAnAnomalyAlert() {
        new AnomalyAlertEncoder().wrapAndApplyHeader(buffer, 0, header)
            .seq(53).eventTime(T0).window("orders_1m").metric("count").observed(120).expected(20.5).score(6.1)
            .key("United Kingdom").text("orders per minute 120 vs 20.5 expected");
        assertEquals("{\"type\":\"anomalyAlert\",\"seq\":53,\"time\":\"2011-12-09T12:50:00Z\",\"window\":\"orders_1m\","
            + "\"key\":\"United Kingdom\",\"metric\":\"count\",\"observed\":120.0,\"expected\":20.5,\"score\":6.1,"
            + "\"text\":\"orders per minute 120 vs 20.5 expected\"}", json());
    }

    @Test
    void shouldWriteATrendingPush() {
        final TrendingPushEncoder e = new TrendingPushEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(54).eventTime(T0).window("views_5m");
        e.itemsCount(2).next().sku("85123A").occurrences(40).next().sku("😀-sku").occurrences(7);
        assertEquals("{\"type\":\"trendingPush\",\"seq\":54,\"time\":\"2011-12-09T12:50:00Z\",\"window\":\"views_5m\","
            + "\"items\":[{\"sku\":\"85123A\",\"count\":40},{\"sku\":\"😀-sku\",\"count\":7}]}", json());
    }

    @Test
    void shouldWriteTheCategoryOfATrendingListAndTheUserOfACartPromotion() {
        final TrendingPushEncoder e = new TrendingPushEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(55).eventTime(T0).window("trendingSales").category("home").userId("");
        e.itemsCount(1).next().sku("85123A").occurrences(12);
        assertEquals("{\"type\":\"trendingPush\",\"seq\":55,\"time\":\"2011-12-09T12:50:00Z\",\"window\":\"trendingSales\","
            + "\"category\":\"home\",\"items\":[{\"sku\":\"85123A\",\"count\":12}]}", json());
        e.wrapAndApplyHeader(buffer, 0, header).seq(56).eventTime(T0).window("cartAbandoned").category("").userId("17850");
        e.itemsCount(1).next().sku("85123A").occurrences(2);
        assertEquals("{\"type\":\"trendingPush\",\"seq\":56,\"time\":\"2011-12-09T12:50:00Z\",\"window\":\"cartAbandoned\","
            + "\"userId\":\"17850\",\"items\":[{\"sku\":\"85123A\",\"count\":2}]}", json());
    }

    @Test
    void shouldWriteTheSameBytesEveryTimeAndOneLinePerCall() throws IOException {
        windowResult("GBP", "United Kingdom");
        final ByteArrayOutputStream first = new ByteArrayOutputStream();
        writer.write(buffer, 0, first);
        writer.write(buffer, 0, first);
        final byte[] bytes = first.toByteArray();
        final ByteArrayOutputStream second = new ByteArrayOutputStream();
        new JsonOutputWriter().write(buffer, 0, second);
        second.write(second.toByteArray());
        assertArrayEquals(bytes, second.toByteArray());
        assertEquals(2, new String(bytes, StandardCharsets.UTF_8).split("\n", -1).length - 1);
    }

    @Test
    void shouldWriteInvalidUtf8FromTheWireAsReplacementCharacters() {
        final byte[] bad = {'a', (byte) 0xC3, 'b'};
        final OrderStatusPushEncoder e = new OrderStatusPushEncoder().wrapAndApplyHeader(buffer, 0, header);
        e.seq(1).eventTime(T0).orderId("").userId("").status(OrderState.PAID);
        buffer.putBytes(MessageHeaderEncoder.ENCODED_LENGTH + OrderStatusPushEncoder.orderIdEncodingOffset(), bad);
        assertEquals("{\"type\":\"orderStatusPush\",\"seq\":1,\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"a\uFFFDb\","
            + "\"status\":\"PAID\"}", json());
    }

    @Test
    void shouldRecoverAfterASinkFailsMidLine() throws IOException {
        new OrderStatusPushEncoder().wrapAndApplyHeader(buffer, 0, header)
            .seq(50).eventTime(T0).orderId("o").userId("").status(OrderState.PAID);
        final OutputStream broken = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThrows(IOException.class, () -> writer.write(buffer, 0, broken));
        assertEquals("{\"type\":\"orderStatusPush\",\"seq\":50,\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"o\",\"status\":\"PAID\"}",
            json());
    }

    @Test
    void shouldRefuseMessagesThatAreNotOutputs() {
        new OrderEncoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals("not an output message: template id 1",
            assertThrows(IllegalArgumentException.class, this::json).getMessage());
    }
}
