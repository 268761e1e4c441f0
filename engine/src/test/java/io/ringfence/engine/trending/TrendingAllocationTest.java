package io.ringfence.engine.trending;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trending allocates nothing per event in steady state: views and multi-line orders over 400
 * skus in 12 categories, one event per event-time second, so panes expire, skus and categories
 * are evicted and re-created, full categories replace their least skus and lists are pushed all
 * the time. As in the window module's
 * AllocationTest, a throw-away stage runs the same events first so one-time class linkage is not
 * counted; the tolerance (8 KB in total) is far below what 8 bytes per event would show.
 */
class TrendingAllocationTest {
    private static final int RING = 10_000;
    private static final int SLOT = 1_024;
    private static final long JIT_TOLERANCE_BYTES = 8_192;
    private static final int TIME_AT = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * SLOT]);
    private final OutputBuffer out = new OutputBuffer(64 * 1024);

    private static TrendingSpec spec() {
        final TrendingConfig c = new TrendingConfig();
        c.size = "10m";
        c.step = "1m";
        c.minInterval = "10s";
        c.maxCategories = 8; // fewer than the traffic's 12: drops run too
        c.maxSkusPerCategory = 16; // of ~33 a category: full categories replace their least skus too
        c.maxSkus = 256;
        c.skuTtl = "10m";
        return c.validate("trending");
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState() {
        assertEquals(TIME_AT, MessageHeaderEncoder.ENCODED_LENGTH + ActivityEncoder.eventTimeEncodingOffset());
        final PushEvents encoder = new PushEvents();
        final Random random = new Random(7);
        for (int i = 0; i < RING; i++) {
            final String json;
            if (random.nextInt(4) == 0) {
                final int lines = 1 + random.nextInt(3);
                final String[] items = new String[lines * 3];
                for (int l = 0; l < lines; l++) {
                    final int sku = random.nextInt(400);
                    items[3 * l] = "sku-" + sku;
                    items[3 * l + 1] = String.valueOf(1 + random.nextInt(5));
                    items[3 * l + 2] = "category-" + sku % 12;
                }
                json = PushEvents.order(0, "u-" + random.nextInt(100), items);
            } else {
                json = PushEvents.activity(0, "u-" + random.nextInt(100), "VIEW", "sku-" + random.nextInt(400));
            }
            events.putBytes(i * SLOT, encoder.encode(json), 0, SLOT);
        }
        feed(new TrendingStage(spec()), 0, 200_000); // links every code path once

        final TrendingStage stage = new TrendingStage(spec());
        feed(stage, 0, 100_000);
        final long pushesBefore = stage.pushes();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        feed(stage, 100_000, 400_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(stage.pushes() - pushesBefore > 10_000, "pushes in the measured part: " + (stage.pushes() - pushesBefore));
        assertTrue(stage.counter("sales", "droppedCategories") > 0, "the category cap was hit");
        assertTrue(stage.counter("views", "replacedSkus") > 10_000, "full categories replaced " + stage.counter("views", "replacedSkus"));
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by 300,000 events in steady state: " + allocated);
    }

    private void feed(final TrendingStage stage, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final int offset = (i % RING) * SLOT;
            events.putLong(offset + TIME_AT, PushEvents.T0 + i * PushEvents.SECOND, ByteOrder.LITTLE_ENDIAN);
            stage.onEvent(i, events, offset, false, out);
            out.reset();
        }
    }
}
