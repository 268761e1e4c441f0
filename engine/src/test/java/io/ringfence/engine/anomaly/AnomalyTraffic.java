package io.ringfence.engine.anomaly;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded hourly order traffic for anomaly tests, and an {@link EngineLogic} with one tumbling
 * window ({@code orders_by_country_1h}: count, sum(amount), mean(amount) by country) and monitors on it.
 */
final class AnomalyTraffic {
    static final long HOUR = 3_600_000_000L;
    static final long START = 1_322_697_600_000_000L; // 2011-12-01T00:00Z
    static final String WINDOW = "orders_by_country_1h";

    /** One order, pre-encoded. */
    record Order(long time, String country, long amount) {
    }

    private AnomalyTraffic() {
    }

    static WindowConfig window() {
        return new WindowConfig().name(WINDOW).key("country").kind("tumbling").size("1h").metrics("count", "sum(amount)", "mean(amount)");
    }

    /** A small daily season (24 intervals), two days of warm-up: alerts from day 3. */
    static AnomalyMonitorConfig monitor(final String name, final String metric) {
        return new AnomalyMonitorConfig().name(name).window(WINDOW).metric(metric)
            .detector(new AnomalyConfig().seasonLength(24).warmupSeasons(2));
    }

    static EngineConfig config(final AnomalyMonitorConfig... monitors) {
        final EngineConfig c = new EngineConfig();
        c.windows = new ArrayList<>(List.of(window()));
        c.anomalies = new ArrayList<>(List.of(monitors));
        return c;
    }

    static EngineLogic logic(final EngineConfig c) {
        return new EngineLogic(BusinessSpec.of(c), null);
    }

    /**
     * {@code days} of orders for {@code country}: per hour 8 + 6·sin(day phase) orders (none from
     * 01:00 to 05:00: the shop sleeps), ±1 seeded; the hour {@code spikeHour} (from START, or −1)
     * gets 5× its orders.
     */
    static List<Order> orders(final String country, final int days, final long seed, final int spikeHour) {
        final Random random = new Random(seed);
        final List<Order> out = new ArrayList<>();
        for (int h = 0; h < days * 24; h++) {
            final int hourOfDay = h % 24;
            int n = hourOfDay >= 1 && hourOfDay <= 5 ? 0 : (int) Math.round(8 + 6 * Math.sin(2 * Math.PI * hourOfDay / 24.0)) + random.nextInt(3) - 1;
            if (h == spikeHour) {
                n *= 5;
            }
            for (int i = 0; i < n; i++) {
                out.add(new Order(START + h * HOUR + (i * HOUR) / Math.max(1, n), country, 1_000 + random.nextInt(9_000)));
            }
        }
        return out;
    }

    /** Orders of several lists merged by time (stable: ties keep list order). */
    static List<Order> merge(final List<List<Order>> lists) {
        final List<Order> all = new ArrayList<>();
        lists.forEach(all::addAll);
        all.sort((a, b) -> Long.compare(a.time(), b.time()));
        return all;
    }

    /** Runs orders[from, to) through the logic with sequences from+1..; returns the alerts emitted. */
    static List<Alert> run(final EngineLogic logic, final List<Order> orders, final int from, final int to) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OutputBuffer out = new OutputBuffer(4096);
        final List<Alert> alerts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            final int length = encode(orders.get(i), i, buffer);
            out.reset();
            logic.onEvent(i + 1, orders.get(i).time(), buffer, 0, length, out);
            alerts.addAll(alerts(out));
        }
        return alerts;
    }

    static int encode(final Order o, final int n, final UnsafeBuffer buffer) {
        final OrderEncoder enc = new OrderEncoder();
        enc.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(0).eventTime(o.time()).orderId("o-" + n).userId("u-" + (n % 97)).merchantId("shop-1")
            .amount(o.amount()).currency("GBP").country(o.country()).ip("10.0.0.1").deviceId("d-" + (n % 89))
            .instrumentId("card-" + (n % 83)).channel(Channel.WEB).label((byte) -1);
        enc.itemsCount(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
    }

    /** A decoded AnomalyAlert. */
    record Alert(long seq, long eventTime, String window, String metric, String key, double observed, double expected,
                 double score, String text) {
    }

    static List<Alert> alerts(final OutputBuffer out) {
        final List<Alert> alerts = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final AnomalyAlertDecoder d = new AnomalyAlertDecoder();
        out.forEach((DirectBuffer b, int offset, int length) -> {
            header.wrap(b, offset);
            if (header.templateId() == AnomalyAlertDecoder.TEMPLATE_ID) {
                d.wrapAndApplyHeader(b, offset, header);
                alerts.add(new Alert(d.seq(), d.eventTime(), d.window(), d.metric(), d.key(), d.observed(), d.expected(),
                    d.score(), d.text()));
            }
        });
        return alerts;
    }
}
