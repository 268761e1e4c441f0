package io.ringfence.engine.fraud;

import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.MutableDirectBuffer;

/**
 * Hand-made inbound SBE events for fraud tests. Times are microseconds after {@link #T0}, a UTC
 * midnight (so every velocity bucket boundary falls on a round number of seconds from it).
 */
final class FraudEvents {
    /** 2023-11-15T00:00:00Z: aligned to 10 s, 5 min, 2 h and 1 day buckets. */
    static final long T0 = 1_700_006_400_000_000L;
    static final long SECOND = 1_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;

    private FraudEvents() {
    }

    interface Event {
        /** Encodes at offset 0 of the buffer (header included). */
        void encode(MutableDirectBuffer buffer);
    }

    static Order order(final long atMicros) {
        return new Order(T0 + atMicros);
    }

    static Payment payment(final long atMicros) {
        return new Payment(T0 + atMicros);
    }

    static Activity activity(final long atMicros, final ActivityKind kind) {
        return new Activity(T0 + atMicros, kind);
    }

    static final class Order implements Event {
        final long time;
        String orderId = "o-1";
        String user = "u-1";
        long amount = 1000;
        String currency = "EUR";
        String country = "DE";
        String ip = "10.0.0.1";
        String device = "d-1";
        String instrument = "card-1";
        final java.util.List<String[]> items = new java.util.ArrayList<>();

        Order(final long time) {
            this.time = time;
        }

        Order user(final String v) { user = v; return this; }
        Order amount(final long v) { amount = v; return this; }
        Order country(final String v) { country = v; return this; }
        Order ip(final String v) { ip = v; return this; }
        Order device(final String v) { device = v; return this; }
        Order instrument(final String v) { instrument = v; return this; }
        /** Adds an item line (qty 1, unit price 100); an empty sku or category is sent empty. */
        Order item(final String sku, final String category) { items.add(new String[] {sku, category}); return this; }

        @Override
        public void encode(final MutableDirectBuffer buffer) {
            final OrderEncoder.ItemsEncoder lines = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(0).eventTime(time).orderId(orderId).userId(user).merchantId("shop-1")
                .amount(amount).currency(currency).country(country).ip(ip).deviceId(device)
                .instrumentId(instrument).channel(Channel.WEB).label((byte) -1)
                .itemsCount(items.size());
            for (final String[] item : items) {
                lines.next().sku(item[0]).qty(1).unitPrice(100).category(item[1]);
            }
        }
    }

    static final class Payment implements Event {
        final long time;
        String user = "u-1";
        String instrument = "card-1";
        long amount = 1000;
        PaymentResult result = PaymentResult.AUTHORIZED;

        Payment(final long time) {
            this.time = time;
        }

        Payment user(final String v) { user = v; return this; }
        Payment instrument(final String v) { instrument = v; return this; }
        Payment amount(final long v) { amount = v; return this; }
        Payment result(final PaymentResult v) { result = v; return this; }

        @Override
        public void encode(final MutableDirectBuffer buffer) {
            new PaymentEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(0).eventTime(time).paymentId("p-1").orderId("o-1").userId(user)
                .instrumentId(instrument).amount(amount).currency("EUR").result(result).label((byte) -1);
        }
    }

    static final class Activity implements Event {
        final long time;
        final ActivityKind kind;
        String user = "u-1";
        String ip = "10.0.0.1";
        String device = "d-1";

        Activity(final long time, final ActivityKind kind) {
            this.time = time;
            this.kind = kind;
        }

        Activity user(final String v) { user = v; return this; }
        Activity ip(final String v) { ip = v; return this; }
        Activity device(final String v) { device = v; return this; }

        @Override
        public void encode(final MutableDirectBuffer buffer) {
            new ActivityEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(0).eventTime(time).userId(user).sessionId("s-1").kind(kind)
                .sku("").ip(ip).deviceId(device);
        }
    }
}
