package io.ringfence.engine.anomaly;

import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded hourly payments and orders for rate tests: a payment window by currency
 * ({@code payments_by_currency_1h}: count, count(attempts), count(failed)) and an order window by
 * merchant ({@code orders_by_merchant_1h}: count, count(declined), count(held)); orders by the user
 * {@link #DENIED} are declined by the fraud deny list.
 */
final class RateTraffic {
    static final long HOUR = AnomalyTraffic.HOUR;
    static final long START = AnomalyTraffic.START;
    static final String PAYMENTS = "payments_by_currency_1h";
    static final String ORDERS = "orders_by_merchant_1h";
    static final String DENIED = "denied-user";

    /** One payment or order ({@code result} null for an order; {@code user} {@link #DENIED} to be declined). */
    record Event(long time, PaymentResult result, String key, String user) {
        static Event payment(final long time, final PaymentResult result) {
            return new Event(time, result, "EUR", null);
        }

        static Event order(final long time, final String merchant, final boolean denied) {
            return new Event(time, null, merchant, denied ? DENIED : null);
        }
    }

    private RateTraffic() {
    }

    static WindowConfig paymentWindow() {
        return new WindowConfig().name(PAYMENTS).key("currency").kind("tumbling").size("1h").events("payment")
            .metrics("count", "count(attempts)", "count(failed)");
    }

    static WindowConfig orderWindow() {
        return new WindowConfig().name(ORDERS).key("merchant").kind("tumbling").size("1h")
            .metrics("count", "count(declined)", "count(held)");
    }

    /** No season (rates), a day of warm-up. */
    static AnomalyMonitorConfig monitor(final String name, final String window, final String metric) {
        return new AnomalyMonitorConfig().name(name).window(window).metric(metric)
            .detector(new AnomalyConfig().seasonLength(1).gamma(0.0).warmupSeasons(24));
    }

    static EngineConfig config(final AnomalyMonitorConfig... monitors) {
        final EngineConfig c = new EngineConfig();
        c.windows = new ArrayList<>(List.of(paymentWindow(), orderWindow()));
        c.anomalies = new ArrayList<>(List.of(monitors));
        c.fraud.deny.users = new ArrayList<>(List.of(DENIED));
        return c;
    }

    /**
     * {@code hours} of {@code perHour} EUR payments each failing (DECLINED or FAILED) with probability
     * {@code rate}, or {@code jumpRate} in hours [jumpFrom, jumpTo); every tenth payment a CAPTURED
     * (not an attempt) besides.
     */
    static List<Event> payments(final int hours, final int perHour, final double rate, final int jumpFrom, final int jumpTo,
                                final double jumpRate, final long seed) {
        final Random random = new Random(seed);
        final List<Event> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            final double p = h >= jumpFrom && h < jumpTo ? jumpRate : rate;
            for (int i = 0; i < perHour; i++) {
                final long t = START + h * HOUR + i * (HOUR / perHour);
                final PaymentResult result = random.nextDouble() < p
                    ? (random.nextBoolean() ? PaymentResult.DECLINED : PaymentResult.FAILED) : PaymentResult.AUTHORIZED;
                out.add(Event.payment(t, result));
                if (i % 10 == 9) {
                    out.add(Event.payment(t + 1, PaymentResult.CAPTURED));
                }
            }
        }
        return out;
    }

    /** Runs events[from, to) through the logic with sequences from+1..; returns the alerts emitted. */
    static List<AnomalyTraffic.Alert> run(final EngineLogic logic, final List<Event> events, final int from, final int to) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OutputBuffer out = new OutputBuffer(4096);
        final List<AnomalyTraffic.Alert> alerts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            final int length = encode(events.get(i), i, buffer);
            out.reset();
            logic.onEvent(i + 1, events.get(i).time(), buffer, 0, length, out);
            alerts.addAll(AnomalyTraffic.alerts(out));
        }
        return alerts;
    }

    static int encode(final Event e, final int n, final UnsafeBuffer buffer) {
        if (e.result() != null) {
            final PaymentEncoder enc = new PaymentEncoder();
            enc.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(0).eventTime(e.time()).paymentId("p-" + n).orderId("o-" + n).userId("u-" + (n % 97))
                .instrumentId("card-" + (n % 83)).amount(1_000 + n % 500).currency(e.key()).result(e.result()).label((byte) -1);
            return MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
        }
        final OrderEncoder enc = new OrderEncoder();
        enc.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(0).eventTime(e.time()).orderId("o-" + n).userId(e.user() != null ? e.user() : "u-" + (n % 97))
            .merchantId(e.key()).amount(1_000 + n % 500).currency("EUR").country("DE").ip("10.0.0.1").deviceId("d-" + (n % 89))
            .instrumentId("card-" + (n % 83)).channel(Channel.WEB).label((byte) -1);
        enc.itemsCount(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
    }
}
