package io.ringfence.engine.anomaly;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ringfence.engine.anomaly.AnomalyTraffic.HOUR;
import static io.ringfence.engine.anomaly.AnomalyTraffic.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payment failure rate per merchant end to end in the business stage: a tumbling window keyed
 * {@code merchant} over payments ({@code count(attempts)}, {@code count(failed)}), each payment
 * placed under the merchant of its order (an earlier order event), and a {@code rate(failed)}
 * monitor per merchant. Three shops, 40 orders an hour each, every order paid once a minute
 * later and failing with probability 2 %; shop-2's payments fail at 30 % for four hours from hour
 * 60. Besides, 6 payments an hour of orders the engine never saw, all failing: they belong to no
 * merchant and must move no merchant's series.
 */
class MerchantFailureRateTest {
    private static final String WINDOW = "payments_by_merchant_1h";
    private static final int HOURS = 96;
    private static final int PER_HOUR = 40;
    private static final int JUMP_FROM = 60;
    private static final int JUMP_TO = 64;
    private static final int UNKNOWN_PER_HOUR = 6;

    /** An order (result null) or a payment of order {@code orderId}. */
    private record Event(long time, String orderId, String merchant, PaymentResult result) {
    }

    private static EngineConfig config() {
        final EngineConfig c = new EngineConfig();
        c.fraud.enabled = false; // answers are not the subject here
        c.windows = new ArrayList<>(List.of(new WindowConfig().name(WINDOW).key("merchant").kind("tumbling").size("1h")
            .events("payment").metrics("count", "count(attempts)", "count(failed)")));
        c.anomalies = new ArrayList<>(List.of(new AnomalyMonitorConfig().name("merchant_failures").window(WINDOW).metric("rate(failed)")
            .detector(new AnomalyConfig().seasonLength(1).gamma(0.0).warmupSeasons(24))));
        return c;
    }

    private static List<Event> traffic(final long seed) {
        final Random random = new Random(seed);
        final List<Event> events = new ArrayList<>();
        for (int h = 0; h < HOURS; h++) {
            for (int i = 0; i < PER_HOUR; i++) {
                for (int m = 1; m <= 3; m++) {
                    final long t = START + h * HOUR + i * (HOUR / PER_HOUR) + m * 1_000L;
                    final String order = "o-" + h + "-" + i + "-" + m;
                    events.add(new Event(t, order, "shop-" + m, null));
                    final double p = m == 2 && h >= JUMP_FROM && h < JUMP_TO ? 0.30 : 0.02;
                    final PaymentResult result = random.nextDouble() < p
                        ? (random.nextBoolean() ? PaymentResult.DECLINED : PaymentResult.FAILED) : PaymentResult.AUTHORIZED;
                    events.add(new Event(t + 60_000_000L, order, null, result));
                }
            }
            for (int i = 0; i < UNKNOWN_PER_HOUR; i++) {
                events.add(new Event(START + h * HOUR + i * (HOUR / UNKNOWN_PER_HOUR) + 7, "never-seen-" + h + "-" + i, null,
                    PaymentResult.FAILED));
            }
        }
        events.sort((a, b) -> Long.compare(a.time(), b.time()));
        return events;
    }

    private static List<AnomalyTraffic.Alert> run(final EngineLogic logic, final List<Event> events, final int from, final int to) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OutputBuffer out = new OutputBuffer(1 << 16);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final OrderEncoder order = new OrderEncoder();
        final PaymentEncoder payment = new PaymentEncoder();
        final List<AnomalyTraffic.Alert> alerts = new ArrayList<>();
        for (int n = from; n < to; n++) {
            final Event e = events.get(n);
            final int length;
            if (e.result() == null) {
                order.wrapAndApplyHeader(buffer, 0, header).clientSeq(n).eventTime(e.time()).orderId(e.orderId()).userId("u-" + n % 97)
                    .merchantId(e.merchant()).amount(1_000 + n % 500).currency("EUR").country("DE").ip("10.0.0.1")
                    .deviceId("d-" + n % 89).instrumentId("card-" + n % 83).channel(Channel.WEB).label((byte) -1);
                order.itemsCount(0);
                length = MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
            } else {
                payment.wrapAndApplyHeader(buffer, 0, header).clientSeq(n).eventTime(e.time()).paymentId("p-" + n).orderId(e.orderId())
                    .userId("u-" + n % 97).instrumentId("card-" + n % 83).amount(1_000 + n % 500).currency("EUR").result(e.result())
                    .label((byte) -1);
                length = MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
            }
            out.reset();
            logic.onEvent(n + 1, e.time(), buffer, 0, length, out);
            alerts.addAll(AnomalyTraffic.alerts(out));
        }
        return alerts;
    }

    @Test
    void shouldAlertOnExactlyTheMerchantWhosePaymentsStartFailing() {
        final List<Event> events = traffic(3);
        final EngineLogic logic = new EngineLogic(BusinessSpec.of(config()), null);
        final List<AnomalyTraffic.Alert> alerts = run(logic, events, 0, events.size());

        assertEquals(1, alerts.size(), alerts.toString());
        final AnomalyTraffic.Alert a = alerts.get(0);
        assertEquals("shop-2", a.key());
        assertEquals(WINDOW, a.window());
        assertEquals("rate(failed)", a.metric());
        assertTrue(a.eventTime() >= START + JUMP_FROM * HOUR && a.eventTime() < START + (JUMP_FROM + 3) * HOUR,
            "within 3 intervals of the jump: " + a);
        assertTrue(a.observed() > 0.15 && a.expected() < 0.05 && a.score() > 3.0, a.toString());
        assertTrue(a.text().matches("merchant_failures started: observed \\d+\\.\\d% \\(\\d+ of 40\\) above band .*"), a.text());

        final AnomalyMonitor monitor = logic.anomalies().monitor("merchant_failures");
        for (final String shop : List.of("shop-1", "shop-2", "shop-3")) {
            assertEquals(HOURS - 1, monitor.detector(shop).intervals(), shop + ": one series per merchant, every closed hour");
        }
        assertEquals((long) HOURS * UNKNOWN_PER_HOUR, logic.windows().unknownMerchants(WINDOW),
            "every payment of an order never seen, under no merchant");
        assertTrue(monitor.detector("shop-1").model().level() < 0.05, "the unknown payments (all failing) are in no merchant's rate");
    }

    @Test
    void shouldRaiseTheSameAlertAfterASnapshotRestoredMidway() {
        final List<Event> events = traffic(3);
        final List<AnomalyTraffic.Alert> all = run(new EngineLogic(BusinessSpec.of(config()), null), events, 0, events.size());
        final int split = events.size() / 2; // hour 48: warmed up, before the jump
        final EngineLogic first = new EngineLogic(BusinessSpec.of(config()), null);
        final List<AnomalyTraffic.Alert> joined = new ArrayList<>(run(first, events, 0, split));
        final StateWriter w = new StateWriter(1 << 20);
        first.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final EngineLogic restored = new EngineLogic(BusinessSpec.of(config()), null);
        final StateReader r = new StateReader(bytes);
        restored.readState(r);
        assertEquals(0, r.remaining(), "the whole snapshot was read");
        assertEquals(first.stateHash(), restored.stateHash());
        joined.addAll(run(restored, events, split, events.size()));
        assertEquals(all, joined);
        assertEquals(1, all.size(), all.toString());
    }
}
