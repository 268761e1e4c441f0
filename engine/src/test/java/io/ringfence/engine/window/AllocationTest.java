package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state allocates nothing: after a warm-up over a fixed key set (pools filled, sketches
 * past their exact bound, output buffer grown), 200k more events, with hundreds of window
 * closes, late events and a sliding query per event, allocate 0 bytes on this thread.
 *
 * <p>The events are pre-encoded once into a ring of one hour (3,600 events, one per second of
 * event time, so the input repeats with the period of every window); only eventTime is rewritten
 * in place. Before the measured aggregator, a throw-away aggregator runs the same 250k events:
 * the first execution of a rarely taken branch (a top-k counter replacement, the first HLL
 * promotion) resolves constant-pool entries and allocates a few hundred bytes once per JVM
 * (about 1.5 KB in total measured in a cold JVM). That is class linkage, not per-event cost, so
 * the throw-away run takes it out.
 *
 * <p>Tolerance: {@value #JIT_TOLERANCE_BYTES} bytes in total for 200k events. Repeated runs measure
 * 0 or 248 bytes, never more and never growing with the event count; the same test under
 * {@code -XX:-UseTLAB} with JFR {@code jdk.ObjectAllocationOutsideTLAB} (every allocation recorded
 * with its stack) shows no allocation site in the measured loop, so the occasional 248 bytes are
 * the JIT's (a recompilation or deoptimisation landing in the measured window), not the stage's.
 * A real per-event allocation of even 8 bytes would show as 1.6 MB here.
 */
class AllocationTest {
    private static final int RING = 3_600;
    private static final long STEP = 1_000_000L;
    private static final long START = 1_323_432_000_000_000L;
    private static final long JIT_TOLERANCE_BYTES = 1_024;

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * 512]);
    private final int[] offsets = new int[RING];
    private final OutputBuffer out = new OutputBuffer(64 * 1024);
    private final WindowView view = new WindowView();

    private static WindowAggregator aggregator() {
        return new WindowAggregator(WindowSpecs.from(List.of(
            new WindowConfig().name("gmv_by_country_1h").key("country").kind("tumbling").size("1h").events("order", "payment")
                .metrics("count", "sum(amount)", "mean(amount)", "stddev(amount)", "distinct(userId)", "topk(sku, 5)"),
            new WindowConfig().name("sku_15m").key("sku").kind("tumbling").size("15m").metrics("count", "sum(qty)", "max(amount)"),
            new WindowConfig().name("user_1h").key("user").kind("sliding").size("1h").step("5m").events("order", "payment")
                .metrics("count", "sum(amount)", "distinct(deviceId)"),
            new WindowConfig().name("device_10m").key("device").kind("sliding").size("10m").step("1m").events("order", "activity")
                .metrics("count", "distinct(userId)"))));
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState() {
        final RandomEvents source = new RandomEvents(7, 300, 10, 50, 0.0);
        int at = 0;
        for (int i = 0; i < RING; i++) {
            offsets[i] = at;
            at += source.next(events, at);
        }
        feed(aggregator(), 0, 250_000); // links every code path once (see class comment)

        final WindowAggregator aggregator = aggregator();
        long checksum = feed(aggregator, 0, 50_000);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        checksum += feed(aggregator, 50_000, 250_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(checksum > 0, "outputs and queries happened");
        assertTrue(aggregator.lateCount("user_1h") > 0, "late events were part of the measured run");
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by 200k events in steady state: " + allocated);
    }

    /** Feeds events [from, to); every 100th is 2h late. Returns a checksum of outputs and queries. */
    private long feed(final WindowAggregator aggregator, final int from, final int to) {
        final SlidingWindow users = aggregator.sliding("user_1h");
        long checksum = 0;
        for (int i = from; i < to; i++) {
            final int offset = offsets[i % RING];
            final long t = START + i * STEP - (i % 100 == 0 ? 7_200_000_000L : 0);
            events.putLong(offset + RandomEvents.EVENT_TIME_OFFSET, t, ByteOrder.LITTLE_ENDIAN);
            out.reset();
            aggregator.onEvent(i, events, offset, out);
            checksum += out.count();
            users.query(users.keyHash(events, offset), t, view);
            checksum += view.count();
        }
        return checksum;
    }
}
