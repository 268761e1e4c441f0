package io.ringfence.engine.window;

import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;

/**
 * A seeded stream of orders (1-3 item lines), payments and activities over fixed pools of
 * users, devices, countries, skus and currencies, with mostly increasing event times and a
 * share of out-of-order and very late events.
 */
final class RandomEvents {
    static final int EVENT_TIME_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();

    private static final String[] CURRENCIES = {"EUR", "GBP", "USD"};
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderEncoder order = new OrderEncoder();
    private final PaymentEncoder payment = new PaymentEncoder();
    private final ActivityEncoder activity = new ActivityEncoder();
    private final SplittableRandom random;
    private final int users;
    private final int countries;
    private final int skus;
    private final double outOfOrder;
    private long time = 1_323_432_000_000_000L; // 2011-12-09T12:00:00Z

    RandomEvents(final long seed, final int users, final int countries, final int skus, final double outOfOrder) {
        this.random = new SplittableRandom(seed);
        this.users = users;
        this.countries = countries;
        this.skus = skus;
        this.outOfOrder = outOfOrder;
    }

    /** Encodes the next event at {@code offset}; returns its length. */
    int next(final MutableDirectBuffer buffer, final int offset) {
        time += random.nextLong(2_000_000);
        long t = time;
        final double r = random.nextDouble();
        if (r < outOfOrder) {
            t -= random.nextLong(15 * 60_000_000L);
        } else if (r < outOfOrder * 1.2) {
            t -= 3 * 3_600_000_000L;
        }
        final int user = random.nextInt(users);
        final String userId = "user-" + user;
        final String deviceId = "dev-" + (user * 3 + random.nextInt(3)) % (users * 2);
        final String currency = CURRENCIES[user % CURRENCIES.length];
        final int kind = random.nextInt(10);
        if (kind < 7) {
            order.wrapAndApplyHeader(buffer, offset, header)
                .clientSeq(0).eventTime(t).orderId("o-" + random.nextInt(1_000_000)).userId(userId)
                .merchantId("shop-" + random.nextInt(5)).amount(100 + random.nextLong(100_000)).currency(currency)
                .country("country-" + (user % countries)).ip("10.0." + user % 250 + "." + random.nextInt(4)).deviceId(deviceId)
                .instrumentId("card-" + user).channel(Channel.WEB).label((byte) -1);
            final int lines = 1 + random.nextInt(3);
            final OrderEncoder.ItemsEncoder items = order.itemsCount(lines);
            for (int i = 0; i < lines; i++) {
                final int sku = random.nextInt(skus);
                items.next().sku("sku-" + sku).qty(1 + random.nextInt(5)).unitPrice(50 + sku * 10L).category("cat-" + sku % 10);
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
        }
        if (kind < 9) {
            payment.wrapAndApplyHeader(buffer, offset, header)
                .clientSeq(0).eventTime(t).paymentId("p").orderId("o-" + random.nextInt(1_000_000)).userId(userId)
                .instrumentId("card-" + user).amount(100 + random.nextLong(100_000)).currency(currency)
                .result(PaymentResult.AUTHORIZED).label((byte) -1);
            return MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
        }
        activity.wrapAndApplyHeader(buffer, offset, header)
            .clientSeq(0).eventTime(t).userId(userId).sessionId("s").kind(ActivityKind.VIEW)
            .sku("sku-" + random.nextInt(skus)).ip("10.0.0.1").deviceId(deviceId);
        return MessageHeaderEncoder.ENCODED_LENGTH + activity.encodedLength();
    }
}
