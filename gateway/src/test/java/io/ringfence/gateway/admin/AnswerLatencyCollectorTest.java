package io.ringfence.gateway.admin;

import io.ringfence.gateway.bridge.DispatchMetrics;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer latency summary's window: about a minute, the same for every scraper, whatever the scrapes' timing. */
class AnswerLatencyCollectorTest {
    private final AtomicLong clock = new AtomicLong(TimeUnit.HOURS.toNanos(5) + 1);
    /** What the dispatch stage recorded since the collector last took it in. */
    private final Histogram recorded = new Histogram(DispatchMetrics.MAX_LATENCY_MICROS, 3);
    private final Histogram handedOut = new Histogram(DispatchMetrics.MAX_LATENCY_MICROS, 3);
    private final AnswerLatencyCollector collector = new AnswerLatencyCollector(() -> {
        handedOut.reset();
        handedOut.add(recorded);
        recorded.reset();
        return handedOut;
    }, clock::get);

    @Test
    void everyScraperSeesTheLastMinuteNotTheIntervalSinceAnothersScrape() {
        for (int i = 1; i <= 100; i++) {
            recorded.recordValue(i * 10L); // 10 µs .. 1 ms
        }
        final Scrape first = scrape();
        assertEquals(100, first.count);
        assertEquals(0.001, first.max, 1e-5);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        final Scrape second = scrape(); // a second Prometheus server, or a curl, three seconds later
        assertEquals(100, second.count);
        assertEquals(first.p99, second.p99, "the same window, not the nothing answered since the first scrape");
        assertEquals(first.max, second.max);
        recorded.recordValue(20_000); // a 20 ms answer
        clock.addAndGet(TimeUnit.SECONDS.toNanos(15));
        final Scrape third = scrape();
        assertEquals(101, third.count);
        assertEquals(0.02, third.max, 1e-4, "the new answer joins the window");
        assertTrue(third.p50 > 0 && third.p50 < 0.001, "the earlier answers are still in it: " + third.p50);
    }

    @Test
    void answersLeaveTheWindowAfterAboutAMinuteAndAQuietWindowIsNaN() {
        recorded.recordValue(5_000);
        assertEquals(0.005, scrape().max, 1e-5);
        for (int s = 15; s <= 45; s += 15) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(15));
            assertEquals(0.005, scrape().max, 1e-5, s + " s later it is still in the window");
        }
        clock.addAndGet(TimeUnit.SECONDS.toNanos(20)); // 65 s after it was taken in
        final Scrape later = scrape();
        assertTrue(Double.isNaN(later.max) && Double.isNaN(later.p99), "left the window: " + later.max);
        assertEquals(1, later.count, "the count is since start");
        clock.addAndGet(TimeUnit.HOURS.toNanos(3));
        recorded.recordValue(700);
        assertEquals(0.0007, scrape().max, 1e-6, "after hours without a scrape, the next shows what came since the one before");
    }

    private Scrape scrape() {
        final MetricSnapshots snapshots = collector.collect();
        Scrape s = new Scrape();
        for (final var m : snapshots) {
            if (m instanceof SummarySnapshot) {
                final SummarySnapshot.SummaryDataPointSnapshot p = ((SummarySnapshot) m).getDataPoints().get(0);
                s.count = p.getCount();
                s.p50 = p.getQuantiles().get(0).getValue();
                s.p99 = p.getQuantiles().get(2).getValue();
            } else if (m instanceof GaugeSnapshot) {
                s.max = ((GaugeSnapshot) m).getDataPoints().get(0).getValue();
            }
        }
        return s;
    }

    private static final class Scrape {
        long count;
        double p50;
        double p99;
        double max;
    }
}
