package io.ringfence.gateway.client;

import io.ringfence.gateway.testing.Frames;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.AnomalyAlertEncoder;
import io.ringfence.sbe.FraudAlertEncoder;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusPushEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.StockPushEncoder;
import io.ringfence.sbe.StockSignal;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.TrendingPushEncoder;
import io.ringfence.sbe.WindowResultEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;

/** SBE messages (header included, no SOFH) for client tests. */
final class Messages {
    private Messages() {
    }

    /** An Order with one item line; its clientSeq is left 0 for the client to fill in. */
    static UnsafeBuffer order() {
        return Frames.message(Frames.order(0, "o-1", 1));
    }

    static UnsafeBuffer payment() {
        return Frames.message(Frames.payment(0));
    }

    static UnsafeBuffer activity() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final ActivityEncoder activity = begin(buffer, new ActivityEncoder())
            .clientSeq(0).eventTime(1_700_000_000_000_000L).userId("u-1").sessionId("s-1")
            .kind(ActivityKind.VIEW).sku("sku-1").ip("10.0.0.1").deviceId("d-1");
        return trim(buffer, activity);
    }

    static UnsafeBuffer inventory() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final InventoryEncoder inventory = begin(buffer, new InventoryEncoder())
            .clientSeq(0).eventTime(1_700_000_000_000_000L).sku("sku-1").warehouse("w-1")
            .mode(InventoryMode.DELTA).quantity(-1);
        return trim(buffer, inventory);
    }

    /** One message of every push template, in template id order (22 to 27). */
    static UnsafeBuffer[] pushes() {
        final UnsafeBuffer orderStatus = new UnsafeBuffer(new byte[512]);
        final OrderStatusPushEncoder a = begin(orderStatus, new OrderStatusPushEncoder())
            .seq(1).eventTime(1).orderId("o-1").userId("u-1").status(OrderState.PAID);
        final UnsafeBuffer stock = new UnsafeBuffer(new byte[512]);
        final StockPushEncoder b = begin(stock, new StockPushEncoder())
            .seq(2).eventTime(1).sku("sku-1").warehouse("w-1").level(3).signal(StockSignal.LOW);
        final UnsafeBuffer fraud = new UnsafeBuffer(new byte[512]);
        final FraudAlertEncoder c = begin(fraud, new FraudAlertEncoder())
            .seq(3).eventTime(1).subjectKind(SubjectKind.ORDER).subjectId("o-1").userId("u-1")
            .outcome(Outcome.DECLINE).score(0.99);
        c.reasonsCount(1).next().code("VELOCITY");
        final UnsafeBuffer window = new UnsafeBuffer(new byte[512]);
        final WindowResultEncoder d = begin(window, new WindowResultEncoder())
            .seq(4).start(0).end(60).window("1m").currency("EUR").count(5).lateTotal(0);
        d.metricsCount(0);
        d.topItemsCount(0);
        d.key("merchant-1");
        final UnsafeBuffer anomaly = new UnsafeBuffer(new byte[512]);
        final AnomalyAlertEncoder e = begin(anomaly, new AnomalyAlertEncoder())
            .seq(5).eventTime(1).window("1m").metric("orders").observed(10).expected(2).score(4);
        e.key("merchant-1");
        e.text("orders spiked");
        final UnsafeBuffer trending = new UnsafeBuffer(new byte[512]);
        final TrendingPushEncoder f = begin(trending, new TrendingPushEncoder()).seq(6).eventTime(1).window("1h");
        f.itemsCount(1).next().sku("sku-1").occurrences(9);
        return new UnsafeBuffer[] {trim(orderStatus, a), trim(stock, b), trim(fraud, c), trim(window, d), trim(anomaly, e),
            trim(trending, f)};
    }

    private static <E extends MessageEncoderFlyweight> E begin(final UnsafeBuffer buffer, final E encoder) {
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(encoder.sbeBlockLength()).templateId(encoder.sbeTemplateId())
            .schemaId(encoder.sbeSchemaId()).version(encoder.sbeSchemaVersion());
        encoder.wrap(buffer, MessageHeaderEncoder.ENCODED_LENGTH);
        return encoder;
    }

    private static UnsafeBuffer trim(final UnsafeBuffer buffer, final MessageEncoderFlyweight encoder) {
        return new UnsafeBuffer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
