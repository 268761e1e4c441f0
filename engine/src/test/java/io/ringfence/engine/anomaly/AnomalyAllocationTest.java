package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state of the windows with anomaly monitors allocates nothing: per event, per closed
 * interval (series fed, empty night hours fed as 0 from the watermark), per alert, and when an
 * idle series is evicted and its key comes back (the series is taken from the pool).
 *
 * <p>Traffic: a two-day period of pre-encoded orders (12 countries every day, one more country
 * only on the first day so that it is evicted and re-created every period, no orders at all from
 * 01:00 to 05:00) whose event times are rewritten in place; every fifth period one country has
 * a spike hour (alerts). A throw-away run of the same events first links every code path (see
 * {@code window/AllocationTest} for why). Tolerance as there: a real allocation of 8 bytes per
 * event or interval would show as hundreds of KB. Three measured rounds, the least counts: in a
 * JVM that has run the whole engine suite a recompilation once measured 1,120 bytes in one round
 * (0 standalone).
 */
class AnomalyAllocationTest {
    private static final long HOUR = AnomalyTraffic.HOUR;
    private static final int PERIOD_HOURS = 48;
    private static final long JIT_TOLERANCE_BYTES = 1_024;
    private static final int TIME_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[64 * 1024 * 256]);
    private final List<int[]> slots = new ArrayList<>(); // {offset, length, hour in period, spike flag}
    private int[][] slotArray;
    private final OutputBuffer out = new OutputBuffer(64 * 1024);

    private static EngineConfig config() {
        final AnomalyMonitorConfig orders = AnomalyTraffic.monitor("orders", "count").idleIntervals(12);
        orders.detector.alertOnEnd(true).warmupSeasons(1).closed(List.of("2012-03-01..2012-03-04", "2012-04-06")); // closures in the measured rounds
        final AnomalyMonitorConfig revenue = AnomalyTraffic.monitor("revenue", "sum(amount)").idleIntervals(12);
        final AnomalyMonitorConfig basket = AnomalyTraffic.monitor("basket", "mean(amount)").idleIntervals(12);
        final AnomalyMonitorConfig median = AnomalyTraffic.monitor("orders_median", "count").idleIntervals(12);
        median.detector.forecast("seasonal-mean").seasonWindow(4).seasonTrim(0.25).levelRate(0.01).warmupSeasons(1);
        final AnomalyMonitorConfig blend = AnomalyTraffic.monitor("orders_blend", "count").idleIntervals(12);
        blend.detector.forecast("blend").blendWeight(0.3).seasonWindow(4).warmupSeasons(1);
        return AnomalyTraffic.config(orders, revenue, basket, median, blend);
    }

    @Test
    void shouldNotAllocatePerEventOrIntervalInSteadyState() {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        int at = 0;
        int n = 0;
        for (int h = 0; h < PERIOD_HOURS; h++) {
            final int hourOfDay = h % 24;
            if (hourOfDay >= 1 && hourOfDay <= 5) {
                continue;
            }
            final int countries = h < 24 ? 13 : 12;
            for (int c = 0; c < countries; c++) {
                final int perHour = 3 + (c % 4) + (hourOfDay / 6);
                final boolean spike = c == 3 && hourOfDay == 14 && h < 24;
                for (int i = 0; i < (spike ? 5 * perHour : perHour); i++) {
                    final int length = AnomalyTraffic.encode(new AnomalyTraffic.Order(0, "C" + c, 1_000 + 37L * ((n * 7919) % 211)), n++, scratch);
                    events.putBytes(at, scratch, 0, length);
                    slots.add(new int[] {at, length, h, i >= perHour ? 1 : 0});
                    at += length;
                }
            }
        }
        slotArray = slots.toArray(new int[0][]);
        run(0, 40); // links every code path once

        final Run measured = new Run();
        long checksum = measured.feed(0, 40);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long alertsBefore = measured.alerts();
        final long evictedBefore = measured.stage.monitor("orders").seriesEvicted();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the least of three rounds: a JIT recompilation lands in one, a real allocation in all
            final long before = threads.getCurrentThreadAllocatedBytes();
            checksum += measured.feed(40 + 20 * round, 60 + 20 * round);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }

        assertTrue(checksum > 0, "outputs happened");
        assertTrue(measured.alerts() > alertsBefore, "alerts were part of the measured run");
        assertTrue(measured.stage.monitor("orders_median").alerts() > 0, "the seasonal mean's series alerted too");
        assertTrue(measured.stage.monitor("orders").seriesEvicted() > evictedBefore, "evictions were part of the measured run");
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by " + 20 * slots.size() + " events in steady state (least of three rounds): " + allocated);
    }

    private void run(final int from, final int to) {
        new Run().feed(from, to);
    }

    /** Windows and monitors of one engine, fed periods of the pre-encoded traffic. */
    private final class Run {
        final WindowAggregator windows;
        final AnomalyStage stage;
        long seq;

        Run() {
            final EngineConfig c = config();
            final List<WindowSpec> specs = c.validate();
            windows = new WindowAggregator(specs);
            stage = new AnomalyStage(c.anomalySpecs(specs), windows);
        }

        long alerts() {
            return stage.monitor("orders").alerts() + stage.monitor("revenue").alerts() + stage.monitor("basket").alerts()
                + stage.monitor("orders_median").alerts();
        }

        long feed(final int fromPeriod, final int toPeriod) {
            long checksum = 0;
            for (int p = fromPeriod; p < toPeriod; p++) {
                final long base = AnomalyTraffic.START + (long) p * PERIOD_HOURS * HOUR;
                int index = 0;
                for (int k = 0; k < slotArray.length; k++) { // indexed: an iterator would allocate per period
                    final int[] slot = slotArray[k];
                    if (slot[3] == 1 && p % 5 != 0) {
                        continue; // the spike's extra orders only every fifth period
                    }
                    final long t = base + slot[2] * HOUR + (index++ % 3_000) * 1_000L;
                    events.putLong(slot[0] + TIME_OFFSET, t, ByteOrder.LITTLE_ENDIAN);
                    out.reset();
                    windows.onEvent(++seq, events, slot[0], out);
                    checksum += out.count();
                }
            }
            return checksum;
        }
    }
}
