package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state of subset counts and rate monitors allocates nothing: per payment (result counted),
 * per decision handed to the windows ({@code count(declined)}, {@code count(held)}), per closed
 * interval (rates observed, gaps under minCount), per alert, and when an idle series is evicted
 * and comes back. Traffic and method as {@link AnomalyAllocationTest}: a two-day period of
 * pre-encoded payments (EUR, GBP; one hour a day under minCount) and orders of 8 merchants (one
 * only on the first day) whose times are rewritten in place; every fifth period a failure burst
 * and a decline burst (alerts).
 */
class RateAllocationTest {
    private static final long HOUR = AnomalyTraffic.HOUR;
    private static final int PERIOD_HOURS = 48;
    private static final long JIT_TOLERANCE_BYTES = 1_024;
    private static final int PAYMENT_TIME = MessageHeaderEncoder.ENCODED_LENGTH + PaymentEncoder.eventTimeEncodingOffset();
    private static final int ORDER_TIME = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[32 * 1024 * 1024]);
    /** {offset, hour in period, time offset in the hour (µs), burst flag, outcome (0 approve, 1 review, 2 decline), payment flag}. */
    private long[][] slots;
    private final OutputBuffer out = new OutputBuffer(64 * 1024);

    private static EngineConfig config() {
        final AnomalyMonitorConfig failures = RateTraffic.monitor("failures", RateTraffic.PAYMENTS, "rate(failed)").idleIntervals(12);
        failures.detector.seasonLength(24).gamma(0.2).warmupSeasons(1).alertOnEnd(true);
        final AnomalyMonitorConfig declines = RateTraffic.monitor("declines", RateTraffic.ORDERS, "rate(declined)").idleIntervals(12);
        declines.detector.seasonLength(24).gamma(0.2).warmupSeasons(1).alertOnEnd(true);
        final AnomalyMonitorConfig held = RateTraffic.monitor("held", RateTraffic.ORDERS, "rate(held)").idleIntervals(12);
        held.detector.seasonLength(24).gamma(0.2).warmupSeasons(1);
        return RateTraffic.config(failures, declines, held);
    }

    @Test
    void shouldNotAllocatePerEventDecisionOrIntervalInSteadyState() {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        final List<long[]> list = new ArrayList<>();
        int at = 0;
        int n = 0;
        for (int h = 0; h < PERIOD_HOURS; h++) {
            final int hourOfDay = h % 24;
            final int perCurrency = hourOfDay == 3 ? 10 : 30; // 03:00: under minCount 20, a gap
            for (int i = 0; i < 2 * perCurrency; i++) {
                final boolean burst = hourOfDay == 14 && h < 24 && i % 2 == 0;
                final PaymentResult result = burst || i % 37 == 5 ? PaymentResult.DECLINED : i % 11 == 3 ? PaymentResult.CAPTURED
                    : PaymentResult.AUTHORIZED;
                final int length = RateTraffic.encode(new RateTraffic.Event(0, result, i % 2 == 0 ? "EUR" : "GBP", null), n++, scratch);
                events.putBytes(at, scratch, 0, length);
                list.add(new long[] {at, h, i * 50_000_000L, burst ? 1 : 0, 0, 1});
                at += length;
            }
            final int merchants = h < 24 ? 8 : 7;
            for (int m = 0; m < merchants; m++) {
                for (int i = 0; i < 25; i++) {
                    final boolean burst = m == 2 && hourOfDay == 16 && h < 24;
                    final int outcome = burst || i % 13 == 4 ? 2 : i % 7 == 1 ? 1 : 0;
                    final int length = RateTraffic.encode(RateTraffic.Event.order(0, "m-" + m, false), n++, scratch);
                    events.putBytes(at, scratch, 0, length);
                    list.add(new long[] {at, h, 1_000_000L + (m * 25 + i) * 17_000_000L, burst ? 1 : 0, outcome, 0});
                    at += length;
                }
            }
        }
        list.sort((x, y) -> x[1] != y[1] ? Long.compare(x[1], y[1]) : Long.compare(x[2], y[2]));
        slots = list.toArray(new long[0][]);
        new Run().feed(0, 40); // links every code path once

        final Run measured = new Run();
        long checksum = measured.feed(0, 40);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long alertsBefore = measured.alerts();
        final long evictedBefore = measured.stage.monitor("declines").seriesEvicted();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the least of three rounds, as in AnomalyAllocationTest
            final long before = threads.getCurrentThreadAllocatedBytes();
            checksum += measured.feed(40 + 20 * round, 60 + 20 * round);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }

        assertTrue(checksum > 0, "outputs happened");
        assertTrue(measured.stage.monitor("failures").alerts() > 0 && measured.stage.monitor("declines").alerts() > 0,
            "both kinds of rate alert happened");
        assertTrue(measured.alerts() > alertsBefore, "alerts were part of the measured run");
        assertTrue(measured.stage.monitor("declines").seriesEvicted() > evictedBefore, "evictions were part of the measured run");
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by " + 20 * slots.length + " events in steady state (least of three rounds): "
            + allocated);
    }

    /** Windows and monitors of one engine, fed periods of the pre-encoded traffic, each event's outcome handed on. */
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
            return stage.monitor("failures").alerts() + stage.monitor("declines").alerts() + stage.monitor("held").alerts();
        }

        long feed(final int fromPeriod, final int toPeriod) {
            long checksum = 0;
            for (int p = fromPeriod; p < toPeriod; p++) {
                final long base = AnomalyTraffic.START + (long) p * PERIOD_HOURS * HOUR;
                for (int k = 0; k < slots.length; k++) { // indexed: an iterator would allocate per period
                    final long[] slot = slots[k];
                    if (slot[3] == 1 && p % 5 != 0) {
                        continue; // the bursts only every fifth period
                    }
                    final int offset = (int) slot[0];
                    final long t = base + slot[1] * HOUR + slot[2];
                    events.putLong(offset + (slot[5] == 1 ? PAYMENT_TIME : ORDER_TIME), t, ByteOrder.LITTLE_ENDIAN);
                    out.reset();
                    windows.onEvent(++seq, events, offset, out);
                    windows.onDecided(seq, slot[4] == 2 ? Outcome.DECLINE : slot[4] == 1 ? Outcome.REVIEW : Outcome.APPROVE);
                    checksum += out.count();
                }
            }
            return checksum;
        }
    }
}
