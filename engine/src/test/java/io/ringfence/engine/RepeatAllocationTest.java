package io.ringfence.engine;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decisions.repeats: first} allocates nothing per order in steady state: each new order's content is digested
 * (SHA-256, {@code ContentDigest}) and remembered, each order sent again is digested, found and answered with the first
 * decision. 300,000 orders after a warm-up, half new and half repeats, with the remembered table at its cap (so the
 * oldest is forgotten for each new one), allocate under 8 KB on this thread (8 bytes an order would be 2.4 MB). Fraud
 * scoring is on with its default rules; orders, inventory, trending and carts are off (each has its own test). As in
 * {@link WindowRuleAllocationTest}, a throw-away engine runs first so one-time class linkage is not counted.
 */
class RepeatAllocationTest {
    private static final int SLOT = 1_024;
    private static final long T0 = 1_767_600_000_000_000L; // 2026-01-05
    private static final int TIME_AT = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();
    /** The order id's eight digits: "o" then them. */
    private static final int DIGITS_AT = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.orderIdEncodingOffset() + 1;
    private static final long JIT_TOLERANCE_BYTES = 8_192;

    private final UnsafeBuffer event = new UnsafeBuffer(new byte[SLOT]);
    private final OutputBuffer out = new OutputBuffer(64 * 1024);
    private int length;

    private static EngineConfig config() {
        final EngineConfig c = new EngineConfig();
        c.orders.enabled = false;
        c.inventory.enabled = false;
        c.trending.enabled = false;
        c.carts.enabled = false;
        c.decisions.maxRemembered = 50_000;
        c.validate();
        return c;
    }

    @Test
    void shouldNotAllocatePerNewOrRepeatedOrder() {
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(SLOT);
        final ParseResult result = new ParseResult();
        length = new JsonEventParser().parse("{\"type\":\"order\",\"time\":\"2026-01-05T00:00:00Z\",\"orderId\":\"o00000000\","
                + "\"userId\":\"u1\",\"amount\":\"12.50\",\"currency\":\"EUR\",\"deviceId\":\"d1\",\"ip\":\"10.0.0.1\","
                + "\"instrumentId\":\"card-1\"}", 1, 1, scratch, 0, result);
        assertTrue(length > 0 && length <= SLOT, result.toString());
        event.putBytes(0, scratch, 0, length);
        final EngineConfig config = config();
        feed(new EngineLogic(BusinessSpec.of(config), null), 0, 200_000); // links every code path once
        final EngineLogic logic = new EngineLogic(BusinessSpec.of(config), null);
        feed(logic, 0, 200_000);
        final long repeatsBefore = logic.decisions().repeats();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        feed(logic, 200_000, 500_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(150_000, logic.decisions().repeats() - repeatsBefore, "every other order repeats the one before");
        assertEquals(50_000, logic.decisions().rememberedIds(), "the table is at its cap");
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by 300,000 orders in steady state: " + allocated);
    }

    /** Orders [from, to), 1 s of event time apart; order i has id i / 2: each odd one repeats the even one before. */
    private void feed(final EngineLogic logic, final int from, final int to) {
        for (int i = from; i < to; i++) {
            int id = i / 2;
            for (int d = 7; d >= 0; d--) {
                event.putByte(DIGITS_AT + d, (byte) ('0' + id % 10));
                id /= 10;
            }
            event.putLong(TIME_AT, T0 + i * 1_000_000L, ByteOrder.LITTLE_ENDIAN);
            out.reset();
            logic.onEvent(i + 1, 0, event, 0, length, out);
        }
    }
}
