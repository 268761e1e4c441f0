package io.ringfence.engine.anomaly;

import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.WindowConfig;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ringfence.engine.anomaly.AnomalyTraffic.HOUR;
import static io.ringfence.engine.anomaly.AnomalyTraffic.START;
import static io.ringfence.engine.anomaly.AnomalyTraffic.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code anomalies:} monitors in the business stage, through {@link EngineLogic}. */
class AnomalyMonitorTest {
    private static final int SPIKE_HOUR = 8 * 24 + 12;

    @Test
    void shouldFeedIntervalsWithoutEventsAsZero() {
        final EngineLogic logic = AnomalyTraffic.logic(AnomalyTraffic.config(AnomalyTraffic.monitor("by_country", "count")
            .window(WINDOW)));
        final List<AnomalyTraffic.Order> orders = List.of(
            new AnomalyTraffic.Order(START, "DE", 100), new AnomalyTraffic.Order(START + 10, "FR", 100),
            new AnomalyTraffic.Order(START + HOUR, "DE", 100),
            new AnomalyTraffic.Order(START + 5 * HOUR, "DE", 100)); // hours 2, 3, 4 have no event at all
        AnomalyTraffic.run(logic, orders, 0, orders.size());

        final AnomalyMonitor m = logic.anomalies().monitor("by_country");
        assertEquals(5, m.detector("DE").intervals(), "hours 0..4 closed: DE fed 1, 1, 0, 0, 0");
        assertEquals(5, m.detector("FR").intervals(), "FR, with one event in hour 0, is fed the same grid");
        assertEquals(StrictMath.log1p(1.0) / 5, m.detector("FR").model().forecast(), 1e-12,
            "FR's mean so far (log scale): log(1 + 1), 0, 0, 0, 0");
    }

    @Test
    void shouldNotObserveTheIntervalTheInputEndsInWhenTheEndOfInputClosesIt() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count"));
        final List<AnomalyTraffic.Order> orders = new ArrayList<>(AnomalyTraffic.orders("DE", 9, 1, -1));
        final long lastHour = orders.get(orders.size() - 1).time() / HOUR * HOUR;
        orders.removeIf(o -> o.time() >= lastHour + 6 * 60_000_000L); // the input ends 6 minutes into its last hour
        final EngineLogic logic = AnomalyTraffic.logic(config);
        assertEquals(List.of(), AnomalyTraffic.run(logic, orders, 0, orders.size()), "no alert on clean traffic");
        final long closedBefore = logic.anomalies().monitor("orders").detector("DE").intervals();

        final io.ringfence.engine.output.OutputBuffer out = new io.ringfence.engine.output.OutputBuffer(1 << 16);
        logic.onEndOfInput(orders.size(), out);
        assertEquals(List.of(), AnomalyTraffic.alerts(out), "a tenth of an hour's orders is not a drop: the hour was cut short");
        assertEquals(closedBefore, logic.anomalies().monitor("orders").detector("DE").intervals(),
            "the cut hour is published as a window result but not observed");
    }

    @Test
    void shouldAlertOnAnOutageOfTheWholeFeedWithoutSeasonalityWhenTrafficResumes() {
        final AnomalyMonitorConfig monitor = new AnomalyMonitorConfig().name("orders").window(WINDOW).metric("count")
            .detector(new AnomalyConfig().seasonLength(1).warmupSeasons(24));
        final List<AnomalyTraffic.Order> orders = new ArrayList<>();
        for (int h = 0; h < 9 * 24; h++) {
            if (h >= 8 * 24 && h < 8 * 24 + 5) {
                continue; // 5 hours without a single event: the watermark jumps over them when traffic resumes
            }
            for (int i = 0; i < 10; i++) {
                orders.add(new AnomalyTraffic.Order(START + h * HOUR + i * (HOUR / 10), "DE", 1_000));
            }
        }
        final List<AnomalyTraffic.Alert> alerts = AnomalyTraffic.run(AnomalyTraffic.logic(AnomalyTraffic.config(monitor)),
            orders, 0, orders.size());
        assertEquals(1, alerts.size(), "the outage's zeros are fed and alerted: " + alerts);
        assertTrue(alerts.get(0).text().startsWith("orders started: observed 0.0 below band"), alerts.get(0).text());
    }

    @Test
    void shouldRaiseExactlyOneStartedAlertForAnInjectedSpike() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count"));
        final List<AnomalyTraffic.Order> clean = AnomalyTraffic.merge(List.of(
            AnomalyTraffic.orders("DE", 10, 1, -1), AnomalyTraffic.orders("FR", 10, 2, -1)));
        assertEquals(List.of(), AnomalyTraffic.run(AnomalyTraffic.logic(config), clean, 0, clean.size()), "no alert on clean traffic");

        final List<AnomalyTraffic.Order> spiked = AnomalyTraffic.merge(List.of(
            AnomalyTraffic.orders("DE", 10, 1, SPIKE_HOUR), AnomalyTraffic.orders("FR", 10, 2, -1)));
        final List<AnomalyTraffic.Alert> alerts = AnomalyTraffic.run(AnomalyTraffic.logic(config), spiked, 0, spiked.size());
        assertEquals(1, alerts.size(), alerts.toString());
        final AnomalyTraffic.Alert a = alerts.get(0);
        assertEquals(START + SPIKE_HOUR * HOUR, a.eventTime(), "the interval's start");
        assertEquals(WINDOW, a.window());
        assertEquals("count", a.metric());
        assertEquals("DE", a.key());
        assertTrue(a.observed() > 3 * a.expected(), a.toString());
        assertTrue(a.score() > 3, a.toString());
        assertTrue(a.text().startsWith("orders started: observed " + (long) a.observed() + ".0 above band ["), a.text());
        assertTrue(a.text().endsWith(" sigma; currency GBP"), "the window is per country and currency: " + a.text());
    }

    @Test
    void shouldPublishTheSummedIntervalsWhenTheScanStartsTheAnomaly() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count"));
        final List<AnomalyTraffic.Order> orders = new ArrayList<>(AnomalyTraffic.orders("DE", 9, 1, -1));
        // day 8 from 10:00, 3 hours: two orders of three are lost, no hour alone out of its band
        final long from = START + (8 * 24 + 10) * HOUR;
        final long to = from + 3 * HOUR;
        final int[] index = {0};
        orders.removeIf(o -> o.time() >= from && o.time() < to && index[0]++ % 3 != 0);
        final List<AnomalyTraffic.Alert> alerts = AnomalyTraffic.run(AnomalyTraffic.logic(config), orders, 0, orders.size());
        assertEquals(1, alerts.size(), alerts.toString());
        final AnomalyTraffic.Alert a = alerts.get(0);
        final java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("orders started \\(scan of the last (\\d) intervals\\): sum ([0-9.]+) below band \\[([0-9.]+), ([0-9.]+)\\], expected ([0-9.]+), "
                + "score (-[0-9.]+) sigma; last interval observed ([0-9.]+) inside band .*; currency GBP")
            .matcher(a.text());
        assertTrue(m.matches(), "the scan fired, the hour alone is inside its band: " + a.text());
        final int n = Integer.parseInt(m.group(1));
        final long last = a.eventTime(); // the interval's start: the last of the n summed hours
        final long sum = orders.stream().filter(o -> o.time() >= last - (n - 1) * HOUR && o.time() < last + HOUR).count();
        assertTrue(n >= 2 && last + HOUR <= to, "a sum of hours of the drop: " + a);
        assertEquals(sum, a.observed(), 1e-9, "observed is the sum of the " + n + " hours' orders");
        assertEquals(m.group(2), sum + ".0");
        assertEquals(Double.parseDouble(m.group(5)), a.expected(), 0.05, "expected is the sum's: " + a);
        assertEquals(Double.parseDouble(m.group(6)), a.score(), 0.05, "score is the sum's: " + a);
        assertTrue(a.score() < -3 && a.observed() < Double.parseDouble(m.group(3)), a.toString());
        final long lastHour = orders.stream().filter(o -> o.time() >= last && o.time() < last + HOUR).count();
        assertEquals(lastHour + ".0", m.group(7), "the last interval's own count");
    }

    @Test
    void shouldAlertOnceWhenAnAnomalyPersistsAndAgainOnEndWhenAsked() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count"));
        config.anomalies.get(0).detector.alertOnEnd(true);
        final List<AnomalyTraffic.Order> orders = new ArrayList<>(AnomalyTraffic.orders("DE", 9, 1, -1));
        // a 6-hour outage on day 8 from 10:00: no DE orders at all, then normal again
        orders.removeIf(o -> o.time() >= START + (8 * 24 + 10) * HOUR && o.time() < START + (8 * 24 + 16) * HOUR);
        final List<AnomalyTraffic.Alert> alerts = AnomalyTraffic.run(AnomalyTraffic.logic(config), orders, 0, orders.size());
        assertEquals(2, alerts.size(), alerts.toString());
        assertTrue(alerts.get(0).text().startsWith("orders started: observed 0.0 below band"), alerts.get(0).text());
        assertTrue(alerts.get(1).text().startsWith("orders ended"), alerts.get(1).text());
        assertTrue(alerts.get(0).eventTime() >= START + (8 * 24 + 10) * HOUR && alerts.get(0).eventTime() < START + (8 * 24 + 13) * HOUR,
            "detected within 3 intervals: " + alerts.get(0));
    }

    @Test
    void shouldBoundSeriesByMaxSeriesAndEvictIdleOnes() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count").maxSeries(2).idleIntervals(3));
        final EngineLogic logic = AnomalyTraffic.logic(config);
        final List<AnomalyTraffic.Order> orders = List.of(
            new AnomalyTraffic.Order(START, "DE", 100), new AnomalyTraffic.Order(START + 1, "FR", 100),
            new AnomalyTraffic.Order(START + 2, "IE", 100), // third key: dropped
            new AnomalyTraffic.Order(START + HOUR, "DE", 100),
            new AnomalyTraffic.Order(START + 2 * HOUR, "DE", 100),
            new AnomalyTraffic.Order(START + 3 * HOUR, "DE", 100),
            new AnomalyTraffic.Order(START + 4 * HOUR, "DE", 100));
        AnomalyTraffic.run(logic, orders, 0, 4);
        final AnomalyMonitor m = logic.anomalies().monitor("orders");
        assertEquals(2, m.series());
        assertEquals(1, m.seriesDropped());
        assertNull(m.detector("IE"));
        AnomalyTraffic.run(logic, orders, 4, orders.size()); // hours 0..3 closed: FR idle for hours 1, 2, 3
        assertEquals(1, m.series(), "FR evicted after 3 intervals without an event");
        assertEquals(1, m.seriesEvicted());
        assertNull(m.detector("FR"));
        assertNotNull(m.detector("DE"));
    }

    @Test
    void shouldKeepASeriesWhoseAnomalyIsInProgressPastTheIdleLimitAndEndIt() {
        // re-trial: an outage longer than idleIntervals evicted its series mid-anomaly: no ENDED, ever
        final EngineConfig config = AnomalyTraffic.config(new AnomalyMonitorConfig().name("orders").window(WINDOW).metric("count")
            .idleIntervals(6).detector(new AnomalyConfig().seasonLength(24).warmupSeasons(2).alertOnEnd(true))); // nights are 5 h
        final long from = START + (9 * 24 + 8) * HOUR;
        final long to = from + 9 * HOUR; // DE sends nothing 08:00-17:00 of day 9 (more than 6 intervals); FR goes on
        final List<AnomalyTraffic.Order> orders = new ArrayList<>(AnomalyTraffic.merge(List.of(
            AnomalyTraffic.orders("DE", 11, 1, -1), AnomalyTraffic.orders("FR", 11, 2, -1))));
        orders.removeIf(o -> o.country().equals("DE") && o.time() >= from && o.time() < to);
        final List<AnomalyTraffic.Alert> de = new ArrayList<>();
        for (final AnomalyTraffic.Alert a : AnomalyTraffic.run(AnomalyTraffic.logic(config), orders, 0, orders.size())) {
            if (a.key().equals("DE") && a.eventTime() >= from) {
                de.add(a);
            }
        }
        assertTrue(de.size() >= 2 && de.get(0).text().startsWith("orders started") && de.get(0).eventTime() < to, de.toString());
        assertTrue(de.get(1).text().startsWith("orders ended") && de.get(1).eventTime() >= to,
            "ended once DE sent again, not forgotten in the outage: " + de);
    }

    @Test
    void shouldEvictEverySeriesWhenTheWatermarkJumpsPastTheIdleLimit() {
        final EngineLogic logic = AnomalyTraffic.logic(AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count").idleIntervals(5)));
        final List<AnomalyTraffic.Order> orders = List.of(new AnomalyTraffic.Order(START, "DE", 100),
            new AnomalyTraffic.Order(START + 1_000 * 24 * HOUR, "DE", 100)); // years later: not 24,000 empty intervals
        AnomalyTraffic.run(logic, orders, 0, orders.size());
        final AnomalyMonitor m = logic.anomalies().monitor("orders");
        assertEquals(0, m.series());
        assertEquals(1, m.seriesEvicted());
    }

    /**
     * Anomaly trial (MEDIUM): a declared closure longer than idleIntervals evicted the series (its zeros counted as
     * idleness), which then warmed up again and missed a 10x hour after the reopening. Closed intervals are not idle time,
     * whether nothing at all came in them (the watermark jumps) or another key's events fed them.
     */
    @Test
    void shouldNotEvictASeriesForTheIntervalsOfAClosure() {
        final java.util.function.Supplier<EngineConfig> closedTwoDays = () -> AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count")
            .idleIntervals(5).detector(new AnomalyConfig().seasonLength(24).warmupSeasons(2).closed(List.of("2011-12-02..2011-12-03"))));
        final List<AnomalyTraffic.Order> quiet = List.of(new AnomalyTraffic.Order(START + 20 * HOUR, "DE", 100),
            new AnomalyTraffic.Order(START + 72 * HOUR + 1, "DE", 100)); // nothing at all while closed (48 h)
        final EngineLogic jump = AnomalyTraffic.logic(closedTwoDays.get());
        AnomalyTraffic.run(jump, quiet, 0, quiet.size());
        assertEquals(0, jump.anomalies().monitor("orders").seriesEvicted(), "20:00..23:00 open, then closed: 4 idle hours of 5");
        assertNotNull(jump.anomalies().monitor("orders").detector("DE"));

        final List<AnomalyTraffic.Order> fed = new ArrayList<>(List.of(new AnomalyTraffic.Order(START + 20 * HOUR, "DE", 100)));
        for (int h = 21; h <= 72; h++) {
            fed.add(new AnomalyTraffic.Order(START + h * HOUR, "FR", 100)); // FR's events feed every interval, closed ones too
        }
        fed.add(new AnomalyTraffic.Order(START + 72 * HOUR + 1, "DE", 100));
        final EngineLogic fedLogic = AnomalyTraffic.logic(closedTwoDays.get());
        AnomalyTraffic.run(fedLogic, fed, 0, fed.size());
        assertEquals(0, fedLogic.anomalies().monitor("orders").seriesEvicted());
        assertNotNull(fedLogic.anomalies().monitor("orders").detector("DE"));

        final List<AnomalyTraffic.Order> open = List.of(new AnomalyTraffic.Order(START + 20 * HOUR, "DE", 100),
            new AnomalyTraffic.Order(START + 30 * HOUR, "DE", 100)); // 10 open hours without DE: idle
        final EngineLogic idle = AnomalyTraffic.logic(AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count").idleIntervals(5)));
        AnomalyTraffic.run(idle, open, 0, open.size());
        assertEquals(1, idle.anomalies().monitor("orders").seriesEvicted(), "without a closure the same silence is idle");
    }

    @Test
    void shouldContinueFromASnapshotExactlyLikeAnUninterruptedEngine() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count"),
            AnomalyTraffic.monitor("revenue", "sum(amount)"), AnomalyTraffic.monitor("basket", "mean(amount)"));
        final List<AnomalyTraffic.Order> orders = AnomalyTraffic.merge(List.of(
            AnomalyTraffic.orders("DE", 10, 1, SPIKE_HOUR), AnomalyTraffic.orders("FR", 10, 2, SPIKE_HOUR + 30)));
        final EngineLogic whole = AnomalyTraffic.logic(config);
        final List<AnomalyTraffic.Alert> all = AnomalyTraffic.run(whole, orders, 0, orders.size());
        assertTrue(all.size() >= 2, "alerts in the run: " + all);

        final int split = orders.size() * 3 / 4; // after warm-up, before the spikes
        final EngineLogic first = AnomalyTraffic.logic(config);
        final List<AnomalyTraffic.Alert> before = AnomalyTraffic.run(first, orders, 0, split);
        final StateWriter w = new StateWriter(1 << 16);
        first.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final EngineLogic restored = AnomalyTraffic.logic(config);
        final StateReader r = new StateReader(bytes);
        restored.readState(r);
        assertEquals(0, r.remaining(), "the whole snapshot was read");
        assertEquals(first.stateHash(), restored.stateHash());

        final List<AnomalyTraffic.Alert> after = AnomalyTraffic.run(restored, orders, split, orders.size());
        final List<AnomalyTraffic.Alert> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertEquals(all, joined, "alerts (doubles compared exactly)");
        assertEquals(whole.stateHash(), restored.stateHash());
        assertTrue(after.size() >= 2, "the alerts came after the snapshot: " + after);
    }

    @Test
    void shouldDropAValueLeftByAnIntervalWhoseCloseFailedAsARestoredEngineDoes() {
        // snapshot audit: an event that failed while its window closed an interval left a key's value pending in the
        // monitor (not in snapshots); the next interval's feed observed it in the engine that never stopped only
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count"));
        final List<AnomalyTraffic.Order> orders = AnomalyTraffic.orders("DE", 9, 1, -1);
        final int split = orders.size() * 3 / 4;
        final EngineLogic original = AnomalyTraffic.logic(config);
        AnomalyTraffic.run(original, orders, 0, split);
        final long hour = orders.get(split - 1).time() / HOUR * HOUR;
        final byte[] key = "XX".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        original.anomalies().monitor("orders").onKeyClosed(hour, 42L, key, key.length,
            "GBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 500, null, null, null, split,
            new io.ringfence.engine.output.OutputBuffer(1 << 12)); // the close failed after this key
        final StateWriter w = new StateWriter(1 << 16);
        original.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final EngineLogic restored = AnomalyTraffic.logic(config);
        restored.readState(new StateReader(bytes));

        assertEquals(AnomalyTraffic.run(restored, orders, split, orders.size()),
            AnomalyTraffic.run(original, orders, split, orders.size()));
        assertEquals(restored.stateHash(), original.stateHash(), "XX fed 0 in both, not 500 in one");
    }

    @Test
    void shouldChangeTheStateHashWithTheDetectorsState() {
        final List<AnomalyTraffic.Order> orders = AnomalyTraffic.orders("DE", 3, 1, -1);
        final EngineLogic x = AnomalyTraffic.logic(AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count")));
        final AnomalyMonitorConfig faster = AnomalyTraffic.monitor("orders", "count");
        faster.detector.alpha(0.3);
        final EngineLogic y = AnomalyTraffic.logic(AnomalyTraffic.config(faster));
        AnomalyTraffic.run(x, orders, 0, orders.size());
        AnomalyTraffic.run(y, orders, 0, orders.size());
        assertEquals(x.windows().stateHash(), y.windows().stateHash(), "same events, same windows");
        assertTrue(x.stateHash() != y.stateHash(), "another level learned, so another engine hash");
    }

    @Test
    void shouldRefuseBadAnomalyConfigurationWithTheFieldAndWhy() {
        assertMessage("anomalies[0].window: 'nope' is not a configured window",
            AnomalyTraffic.monitor("m", "count").window("nope"));
        assertMessage("anomalies[0].metric: 'max(amount)' is not a series metric",
            AnomalyTraffic.monitor("m", "max(amount)"));
        assertMessage("anomalies[0].maxSeries: '0' must be between 1 and",
            AnomalyTraffic.monitor("m", "count").maxSeries(0));
        assertMessage("anomalies[0].maxSeries: '100000' would let this monitor hold up to 49987 MiB (524160 bytes a series with"
                + " seasonLength 10080 and seasonWindow 6); at most 1024 MiB a monitor",
            AnomalyTraffic.monitor("m", "count").maxSeries(100_000)
                .detector(new AnomalyConfig().forecast("seasonal-mean").seasonLength(10_080)));
        assertMessage("anomalies[0].idleIntervals: '0' must be at least 1",
            AnomalyTraffic.monitor("m", "count").idleIntervals(0));
        assertMessage("anomalies[0].detector.k: '-1.0' must be a positive",
            AnomalyTraffic.monitor("m", "count").detector(new AnomalyConfig().k(-1)));
        assertMessage("anomalies[0].name is required", new AnomalyMonitorConfig().window(WINDOW).metric("count"));
        assertMessage("anomalies[0].keys: '[]' is empty", AnomalyTraffic.monitor("m", "count").keys(List.of()));

        final EngineConfig sliding = AnomalyTraffic.config(AnomalyTraffic.monitor("m", "count").window("s"));
        sliding.windows.add(new WindowConfig().name("s").key("user").kind("sliding").size("1h").step("5m").metrics("count"));
        final ConfigException e = assertThrows(ConfigException.class, sliding::validate);
        assertTrue(e.getMessage().startsWith("anomalies[0].window: 's' is a sliding window"), e.getMessage());

        final EngineConfig countOnly = AnomalyTraffic.config(AnomalyTraffic.monitor("m", "sum(amount)"));
        countOnly.windows.set(0, new WindowConfig().name(WINDOW).key("country").kind("tumbling").size("1h").metrics("count"));
        final ConfigException c = assertThrows(ConfigException.class, countOnly::validate);
        assertTrue(c.getMessage().startsWith("anomalies[0].metric: 'sum(amount)' is not a metric of window " + WINDOW), c.getMessage());

        final EngineConfig twice = AnomalyTraffic.config(AnomalyTraffic.monitor("m", "count"), AnomalyTraffic.monitor("m", "count"));
        final ConfigException t = assertThrows(ConfigException.class, twice::validate);
        assertTrue(t.getMessage().startsWith("anomalies[1].name: 'm' is used twice"), t.getMessage());
    }

    @Test
    void shouldWatchOnlyTheConfiguredKeys() {
        final EngineConfig config = AnomalyTraffic.config(AnomalyTraffic.monitor("orders", "count").keys(List.of("FR")));
        final EngineLogic logic = AnomalyTraffic.logic(config);
        final List<AnomalyTraffic.Order> orders = List.of(new AnomalyTraffic.Order(START, "DE", 100),
            new AnomalyTraffic.Order(START + 1, "FR", 100), new AnomalyTraffic.Order(START + HOUR, "DE", 100));
        AnomalyTraffic.run(logic, orders, 0, orders.size());
        final AnomalyMonitor m = logic.anomalies().monitor("orders");
        assertEquals(1, m.series());
        assertNotNull(m.detector("FR"));
        assertEquals(0, m.seriesDropped(), "a key not watched is not a drop");
    }

    private static void assertMessage(final String start, final AnomalyMonitorConfig monitor) {
        final ConfigException e = assertThrows(ConfigException.class, () -> AnomalyTraffic.config(monitor).validate());
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
