package io.ringfence.engine.window;

import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** Builds inbound SBE events for tests with the generated encoders. Times are in microseconds. */
final class TestEvents {
    static final long SECOND = 1_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;

    private TestEvents() {
    }

    /** Something that can encode itself at an offset and report its length. */
    interface Event {
        int encode(MutableDirectBuffer buffer, int offset);
    }

    static OrderEvent order(final long time) {
        return new OrderEvent(time);
    }

    static PaymentEvent payment(final long time) {
        return new PaymentEvent(time);
    }

    static ActivityEvent activity(final long time) {
        return new ActivityEvent(time);
    }

    static final class OrderEvent implements Event {
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final OrderEncoder enc = new OrderEncoder();
        final long time;
        String orderId = "o-1";
        String userId = "u-1";
        String merchantId = "shop-1";
        long amount = 1000;
        String currency = "EUR";
        String country = "DE";
        String ip = "10.0.0.1";
        String deviceId = "d-1";
        String instrumentId = "card-1";
        final List<Object[]> items = new ArrayList<>();

        OrderEvent(final long time) {
            this.time = time;
        }

        OrderEvent orderId(final String v) { orderId = v; return this; }
        OrderEvent user(final String v) { userId = v; return this; }
        OrderEvent merchant(final String v) { merchantId = v; return this; }
        OrderEvent amount(final long v) { amount = v; return this; }
        OrderEvent currency(final String v) { currency = v; return this; }
        OrderEvent country(final String v) { country = v; return this; }
        OrderEvent ip(final String v) { ip = v; return this; }
        OrderEvent device(final String v) { deviceId = v; return this; }
        OrderEvent instrument(final String v) { instrumentId = v; return this; }

        OrderEvent item(final String sku, final int qty, final long unitPrice, final String category) {
            items.add(new Object[] {sku, qty, unitPrice, category});
            return this;
        }

        @Override
        public int encode(final MutableDirectBuffer buffer, final int offset) {
            enc.wrapAndApplyHeader(buffer, offset, header)
                .clientSeq(0).eventTime(time).orderId(orderId).userId(userId).merchantId(merchantId)
                .amount(amount).currency(currency).country(country).ip(ip).deviceId(deviceId)
                .instrumentId(instrumentId).channel(Channel.WEB).label((byte) -1);
            final OrderEncoder.ItemsEncoder it = enc.itemsCount(items.size());
            for (final Object[] i : items) {
                it.next().sku((String) i[0]).qty((Integer) i[1]).unitPrice((Long) i[2]).category((String) i[3]);
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
        }
    }

    static final class PaymentEvent implements Event {
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final PaymentEncoder enc = new PaymentEncoder();
        final long time;
        String userId = "u-1";
        String orderId = "o-1";
        String instrumentId = "card-1";
        long amount = 1000;
        String currency = "EUR";
        PaymentResult result = PaymentResult.AUTHORIZED;

        PaymentEvent(final long time) {
            this.time = time;
        }

        PaymentEvent user(final String v) { userId = v; return this; }
        PaymentEvent orderId(final String v) { orderId = v; return this; }
        PaymentEvent instrument(final String v) { instrumentId = v; return this; }
        PaymentEvent amount(final long v) { amount = v; return this; }
        PaymentEvent currency(final String v) { currency = v; return this; }
        PaymentEvent result(final PaymentResult v) { result = v; return this; }

        @Override
        public int encode(final MutableDirectBuffer buffer, final int offset) {
            enc.wrapAndApplyHeader(buffer, offset, header)
                .clientSeq(0).eventTime(time).paymentId("p-" + orderId).orderId(orderId).userId(userId)
                .instrumentId(instrumentId).amount(amount).currency(currency).result(result).label((byte) -1);
            return MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
        }
    }

    static final class ActivityEvent implements Event {
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final ActivityEncoder enc = new ActivityEncoder();
        final long time;
        String userId = "u-1";
        String sku = "";
        String ip = "10.0.0.1";
        String deviceId = "d-1";

        ActivityEvent(final long time) {
            this.time = time;
        }

        ActivityEvent user(final String v) { userId = v; return this; }
        ActivityEvent sku(final String v) { sku = v; return this; }
        ActivityEvent device(final String v) { deviceId = v; return this; }

        @Override
        public int encode(final MutableDirectBuffer buffer, final int offset) {
            enc.wrapAndApplyHeader(buffer, offset, header)
                .clientSeq(0).eventTime(time).userId(userId).sessionId("s").kind(ActivityKind.VIEW)
                .sku(sku).ip(ip).deviceId(deviceId);
            return MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
        }
    }
}
