package io.ringfence.engine.anomaly;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.sbe.PaymentResult;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ringfence.engine.anomaly.RateTraffic.HOUR;
import static io.ringfence.engine.anomaly.RateTraffic.ORDERS;
import static io.ringfence.engine.anomaly.RateTraffic.PAYMENTS;
import static io.ringfence.engine.anomaly.RateTraffic.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate series ({@code rate(failed)}, {@code rate(declined)}, {@code rate(held)}) through {@link EngineLogic}. */
class RateMonitorTest {
    private static EngineLogic logic(final EngineConfig c) {
        return new EngineLogic(BusinessSpec.of(c), null);
    }

    private static void add(final List<RateTraffic.Event> out, final int hour, final int n, final PaymentResult result) {
        for (int i = 0; i < n; i++) {
            out.add(RateTraffic.Event.payment(START + hour * HOUR + out.size(), result));
        }
    }

    @Test
    void shouldObserveFailedOverAttemptsAndLeaveIntervalsUnderMinCountAsGaps() {
        final List<RateTraffic.Event> events = new ArrayList<>();
        add(events, 0, 16, PaymentResult.AUTHORIZED); // hour 0: 4 failed of 20 attempts = 0.2 (30 captures are no attempts)
        add(events, 0, 2, PaymentResult.DECLINED);
        add(events, 0, 2, PaymentResult.FAILED);
        add(events, 0, 30, PaymentResult.CAPTURED);
        add(events, 1, 10, PaymentResult.FAILED);     // hour 1: 10 of 10, under minCount 20: a gap, nothing learned
        add(events, 1, 40, PaymentResult.REFUNDED);
        add(events, 2, 18, PaymentResult.AUTHORIZED); // hour 2: 2 of 20 = 0.1
        add(events, 2, 2, PaymentResult.DECLINED);
        add(events, 3, 1, PaymentResult.AUTHORIZED);  // closes hour 2
        final EngineLogic logic = logic(RateTraffic.config(RateTraffic.monitor("failures", PAYMENTS, "rate(failed)")));
        RateTraffic.run(logic, events, 0, events.size());

        final AnomalyDetector d = logic.anomalies().monitor("failures").detector("EUR");
        assertEquals(3, d.intervals(), "hours 0, 1 (a gap), 2");
        // level: 0.2 (first interval), unchanged by the gap, then 0.1·0.1 + 0.9·0.2 = 0.19 (alpha 0.1, no trend)
        assertEquals(0.19, d.model().level(), 1e-12);

        final AnomalyMonitorConfig lower = RateTraffic.monitor("failures", PAYMENTS, "rate(failed)").minCount(10);
        final EngineLogic observed = logic(RateTraffic.config(lower));
        RateTraffic.run(observed, events, 0, events.size());
        // with minCount 10 hour 1 (rate 1.0) is observed, but learned no further than clip (2.5) sigmas above 0.2
        final double level = observed.anomalies().monitor("failures").detector("EUR").model().level();
        assertTrue(level > 0.19 && level < 0.3, "hour 1 was learned, clipped: " + level);
    }

    /**
     * Rate audit: a currency whose first three hours had 10 payments each (under minCount 20: gaps), then 200 an hour, 30 %
     * failing throughout, alerted its normal rate at 00:00 of every day from the third on ("observed 30.0% (60 of 200)
     * above band [0.0%, 12.3%], expected 0.2%"): the gaps before the first observation were initialised at a rate of 0.
     */
    @Test
    void shouldNotLearnGapsBeforeASeriesFirstObservationAsARateOfZero() {
        final List<RateTraffic.Event> events = new ArrayList<>();
        for (int h = 0; h < 10 * 24; h++) {
            final int n = h < 3 ? 10 : 200;
            for (int i = 0; i < n; i++) {
                events.add(RateTraffic.Event.payment(START + h * HOUR + i * (HOUR / n),
                    i % 10 < 3 ? PaymentResult.FAILED : PaymentResult.AUTHORIZED));
            }
        }
        final AnomalyMonitorConfig daily = new AnomalyMonitorConfig().name("failures").window(PAYMENTS).metric("rate(failed)")
            .detector(new AnomalyConfig().seasonLength(24).warmupSeasons(2));
        final EngineLogic logic = logic(RateTraffic.config(daily));
        assertEquals(List.of(), RateTraffic.run(logic, events, 0, events.size()), "a steady 30 %");
        final HoltWinters model = logic.anomalies().monitor("failures").detector("EUR").model();
        for (int p = 0; p < 24; p++) {
            assertEquals(0.0, model.season(p), 1e-9, "phase " + p + ": the same rate every hour");
        }
        assertEquals(0.3, model.level(), 1e-9);
    }

    @Test
    void shouldRaiseExactlyOneStartedAlertWhenThePaymentFailureRateJumps() {
        final EngineConfig config = RateTraffic.config(RateTraffic.monitor("failures", PAYMENTS, "rate(failed)"));
        final List<RateTraffic.Event> clean = RateTraffic.payments(96, 40, 0.02, -1, -1, 0, 7);
        assertEquals(List.of(), RateTraffic.run(logic(config), clean, 0, clean.size()), "no alert at a steady 2 %");

        final List<RateTraffic.Event> jump = RateTraffic.payments(96, 40, 0.02, 60, 64, 0.30, 7);
        final List<AnomalyTraffic.Alert> alerts = RateTraffic.run(logic(config), jump, 0, jump.size());
        assertEquals(1, alerts.size(), alerts.toString());
        final AnomalyTraffic.Alert a = alerts.get(0);
        assertTrue(a.eventTime() >= START + 60 * HOUR && a.eventTime() < START + 63 * HOUR,
            "within 3 intervals of the jump (seed 7's hour 60 drew few failures): " + a);
        assertEquals(PAYMENTS, a.window());
        assertEquals("rate(failed)", a.metric());
        assertEquals("EUR", a.key());
        assertTrue(a.observed() > 0.15 && a.observed() <= 1.0, a.toString());
        assertTrue(a.expected() >= 0.0 && a.expected() < 0.05, a.toString());
        assertTrue(a.score() > 3.0, a.toString());
        assertTrue(a.text().matches("failures started: observed \\d+\\.\\d% \\(\\d+ of 40\\) above band \\[\\d+\\.\\d%, \\d+\\.\\d%\\], "
            + "expected \\d+\\.\\d%, score \\d+\\.\\d sigma"), a.text());
    }

    @Test
    void shouldRateTheEnginesDeclinesPerMerchant() {
        final List<RateTraffic.Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // hour 0, shop-1: 5 of 20 orders by the deny-listed user
            events.add(RateTraffic.Event.order(START + i * 1_000_000L, "shop-1", i % 4 == 0));
        }
        events.add(RateTraffic.Event.order(START + HOUR, "shop-1", false));
        final EngineLogic logic = logic(RateTraffic.config(RateTraffic.monitor("declines", ORDERS, "rate(declined)"),
            RateTraffic.monitor("held", ORDERS, "rate(held)")));
        RateTraffic.run(logic, events, 0, events.size());
        assertEquals(0.25, logic.anomalies().monitor("declines").detector("shop-1").model().level(), 0.0,
            "deny list: 5 declines of 20 decisions");
        final double held = logic.anomalies().monitor("held").detector("shop-1").model().level();
        assertTrue(held >= 0.25 && held <= 1.0, "held counts REVIEW and DECLINE: " + held);
    }

    @Test
    void shouldContinueFromASnapshotExactlyLikeAnUninterruptedEngine() {
        final EngineConfig config = RateTraffic.config(RateTraffic.monitor("failures", PAYMENTS, "rate(failed)"),
            RateTraffic.monitor("declines", ORDERS, "rate(declined)"));
        final List<RateTraffic.Event> events = new ArrayList<>(RateTraffic.payments(96, 40, 0.02, 60, 64, 0.30, 11));
        for (int h = 0; h < 96; h++) { // orders of two shops, 25 each an hour, 7 of shop-2's declined from hour 70
            for (int i = 0; i < 50; i++) {
                events.add(RateTraffic.Event.order(START + h * HOUR + i * 71_000_000L + 3, "shop-" + (1 + i % 2), h >= 70 && i % 8 == 1));
            }
        }
        events.sort((x, y) -> Long.compare(x.time(), y.time()));
        final EngineLogic whole = logic(config);
        final List<AnomalyTraffic.Alert> all = RateTraffic.run(whole, events, 0, events.size());
        assertTrue(all.size() >= 2, "alerts of both monitors: " + all);

        final int split = events.size() / 2; // after warm-up, before both changes
        final EngineLogic first = logic(config);
        final List<AnomalyTraffic.Alert> before = RateTraffic.run(first, events, 0, split);
        final StateWriter w = new StateWriter(1 << 20);
        first.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final EngineLogic restored = logic(config);
        final StateReader r = new StateReader(bytes);
        restored.readState(r);
        assertEquals(0, r.remaining(), "the whole snapshot was read");
        assertEquals(first.stateHash(), restored.stateHash());

        final List<AnomalyTraffic.Alert> after = RateTraffic.run(restored, events, split, events.size());
        final List<AnomalyTraffic.Alert> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertEquals(all, joined, "alerts (doubles compared exactly)");
        assertEquals(whole.stateHash(), restored.stateHash());
        assertEquals(all.size(), after.size(), "the alerts came after the snapshot");
    }

    @Test
    void shouldRefuseBadRateConfigurationWithTheFieldAndWhy() {
        assertMessage("anomalies[0].metric: 'rate(lost)' is not a rate: use rate(failed)",
            RateTraffic.monitor("m", PAYMENTS, "rate(lost)"));
        assertMessage("anomalies[0].metric: 'rate(declined)' needs count(declined) in the metrics of window " + PAYMENTS,
            RateTraffic.monitor("m", PAYMENTS, "rate(declined)"));
        assertMessage("anomalies[0].metric: 'rate(failed)' needs count(failed) in the metrics of window " + ORDERS,
            RateTraffic.monitor("m", ORDERS, "rate(failed)"));
        assertMessage("anomalies[0].minCount: '0' must be between 1 and",
            RateTraffic.monitor("m", PAYMENTS, "rate(failed)").minCount(0));
        assertMessage("anomalies[0].minCount: '5' is only for rate metrics",
            RateTraffic.monitor("m", PAYMENTS, "count").minCount(5));
        final AnomalyMonitorConfig log = RateTraffic.monitor("m", PAYMENTS, "rate(failed)");
        log.detector.scale("log");
        assertMessage("anomalies[0].detector.scale: 'log' cannot be used for rate(failed)", log);
        final AnomalyMonitorConfig phase = RateTraffic.monitor("m", PAYMENTS, "rate(failed)");
        phase.detector.spread("phase");
        assertMessage("anomalies[0].detector.spread: 'phase' cannot be used for rate(failed)", phase);
        final AnomalyMonitorConfig binomialCount = RateTraffic.monitor("m", PAYMENTS, "count");
        binomialCount.detector.spread("binomial");
        assertMessage("anomalies[0].detector.spread: 'binomial' is for rate metrics only", binomialCount);

        final EngineConfig noAttempts = RateTraffic.config(RateTraffic.monitor("m", PAYMENTS, "rate(failed)"));
        noAttempts.windows.set(0, RateTraffic.paymentWindow().metrics("count", "count(failed)"));
        assertMessage("anomalies[0].metric: 'rate(failed)' divides by count(attempts), which is not a metric of window " + PAYMENTS,
            noAttempts);
        final EngineConfig activity = RateTraffic.config(RateTraffic.monitor("m", "mixed", "rate(held)"));
        activity.windows.add(new WindowConfig().name("mixed").key("user").kind("tumbling").size("1h").events("order", "activity")
            .metrics("count", "count(held)"));
        assertMessage("anomalies[0].metric: 'rate(held)' divides by the window's count, but window mixed also counts activity events",
            activity);
    }

    @Test
    void shouldLeaveTheUsersDetectorSettingsUntouched() {
        final AnomalyMonitorConfig m = RateTraffic.monitor("m", PAYMENTS, "rate(failed)");
        final AnomalyMonitorSpec spec = AnomalyMonitorSpec.from(List.of(m), RateTraffic.config(m).validate()).get(0);
        assertEquals(AnomalySpec.Scale.LINEAR, spec.detector().scale());
        assertEquals(AnomalySpec.Spread.BINOMIAL, spec.detector().spread());
        assertEquals(AnomalyMonitorSpec.DEFAULT_MIN_COUNT, spec.minCount());
        assertEquals(null, m.detector.scale, "the defaults a rate implies are not written into the configuration (its digest)");
        assertEquals(null, m.detector.spread);
    }

    @Test
    void shouldPutMinCountIntoTheConfigurationDigestOnlyWhenSet() throws Exception {
        final EngineConfig unset = RateTraffic.config(RateTraffic.monitor("m", PAYMENTS, "rate(failed)"));
        final EngineConfig same = RateTraffic.config(RateTraffic.monitor("m", PAYMENTS, "rate(failed)"));
        final EngineConfig set = RateTraffic.config(RateTraffic.monitor("m", PAYMENTS, "rate(failed)").minCount(50));
        final byte[] d = io.ringfence.engine.snapshot.ConfigDigest.of(unset, null);
        assertTrue(java.util.Arrays.equals(d, io.ringfence.engine.snapshot.ConfigDigest.of(same, null)));
        assertTrue(!java.util.Arrays.equals(d, io.ringfence.engine.snapshot.ConfigDigest.of(set, null)),
            "a snapshot taken under another minCount is not used");
        final String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(unset.anomalies.get(0));
        assertTrue(!json.contains("minCount"), "unset: absent, so configurations from before rates keep their digest: " + json);
    }

    @Test
    void shouldLoadTheExampleConfiguration() {
        final EngineConfig c = io.ringfence.engine.config.EngineConfigLoader.loadValidated(java.nio.file.Path.of("../examples/rates.yaml"));
        final List<AnomalyMonitorSpec> specs = c.anomalySpecs(c.validate());
        assertEquals(List.of("payment_failures", "merchant_payment_failures", "merchant_declines", "country_held"),
            specs.stream().map(AnomalyMonitorSpec::name).toList());
        assertEquals(AnomalyMonitorSpec.SeriesMetric.RATE_FAILED, specs.get(0).metric());
        assertEquals(AnomalyMonitorSpec.SeriesMetric.RATE_FAILED, specs.get(1).metric());
        assertTrue(c.validate().stream().filter(w -> w.name().equals("payments_by_merchant_1h")).findFirst().orElseThrow().joinsMerchant(),
            "payments under their order's merchant");
        assertEquals(30, specs.get(2).minCount());
        assertEquals(AnomalyMonitorSpec.DEFAULT_MIN_COUNT, specs.get(3).minCount());
        assertEquals(AnomalySpec.Spread.BINOMIAL, specs.get(3).detector().spread());
    }

    @Test
    void shouldNameTheFileLineAndFieldOfABadRateInYaml(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
        final java.nio.file.Path file = dir.resolve("c.yaml");
        java.nio.file.Files.writeString(file, "windows:\n  - {name: p, key: currency, kind: tumbling, size: 1h, events: [payment], metrics: [count]}\n"
            + "anomalies:\n  - {name: f, window: p, metric: rate(failed), minCount: 0}\n");
        final ConfigException e = assertThrows(ConfigException.class, () -> io.ringfence.engine.config.EngineConfigLoader.loadValidated(file));
        assertTrue(e.getMessage().contains("anomalies[0].metric: 'rate(failed)' needs count(failed) in the metrics of window p"), e.getMessage());
    }

    private static void assertMessage(final String start, final AnomalyMonitorConfig monitor) {
        assertMessage(start, RateTraffic.config(monitor));
    }

    private static void assertMessage(final String start, final EngineConfig config) {
        final ConfigException e = assertThrows(ConfigException.class, config::validate);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
