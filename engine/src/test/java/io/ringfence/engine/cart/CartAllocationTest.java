package io.ringfence.engine.cart;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.trending.PushEvents;
import io.ringfence.engine.trending.PushTraffic;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cart abandonment allocates nothing per event in steady state: adds, orders and payments of
 * 2,000 users, 3 s of event time apart, with carts opened, promoted, closed by orders, forgotten
 * when idle and refused at the cap all the time. As in the window module's AllocationTest, a
 * throw-away stage runs the same events first; tolerance 8 KB in total.
 */
class CartAllocationTest {
    private static final int RING = 10_000;
    private static final int SLOT = 1_024;
    private static final long JIT_TOLERANCE_BYTES = 8_192;
    private static final int TIME_AT = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * SLOT]);
    private final OutputBuffer out = new OutputBuffer(64 * 1024);

    private static CartSpec spec() {
        final CartConfig c = new CartConfig();
        c.delay = "10m";
        c.idleTtl = "1h";
        c.maxCarts = 150; // fewer than the users with a cart at once: the cap is hit
        c.maxItemsPerCart = 4;
        return c.validate("carts");
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState() {
        assertEquals(TIME_AT, MessageHeaderEncoder.ENCODED_LENGTH + ActivityEncoder.eventTimeEncodingOffset());
        assertEquals(TIME_AT, MessageHeaderEncoder.ENCODED_LENGTH + PaymentEncoder.eventTimeEncodingOffset());
        final PushEvents encoder = new PushEvents();
        final List<String> lines = PushTraffic.lines(3, RING, 2_000);
        for (int i = 0; i < RING; i++) {
            events.putBytes(i * SLOT, encoder.encode(lines.get(i)), 0, SLOT);
        }
        feed(new CartStage(spec()), 0, 200_000); // links every code path once

        final CartStage stage = new CartStage(spec());
        feed(stage, 0, 100_000);
        final long pushes = stage.pushes();
        final long dropped = stage.cartsDropped();
        final long idle = stage.idleEvicted();
        final long ordered = stage.ordersClosing();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        feed(stage, 100_000, 400_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(stage.pushes() - pushes > 1_000, "promotions in the measured part: " + (stage.pushes() - pushes));
        assertTrue(stage.cartsDropped() > dropped, "the cart cap was hit");
        assertTrue(stage.idleEvicted() > idle && stage.ordersClosing() > ordered, "carts were forgotten and ordered");
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by 300,000 events in steady state: " + allocated);
    }

    private void feed(final CartStage stage, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final int offset = (i % RING) * SLOT;
            events.putLong(offset + TIME_AT, PushEvents.T0 + i * 3 * PushEvents.SECOND, ByteOrder.LITTLE_ENDIAN);
            stage.onEvent(i, events, offset, out);
            out.reset();
        }
    }
}
