package io.ringfence.engine;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.FraudConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.Outcome;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules that read sliding windows ({@link SlidingWindowTerms}) allocate nothing per scored order in
 * steady state: the business logic with a sliding window, the default rules and three window
 * terms, after a warm-up, allocates under 8 KB over 300,000 orders on this thread (8 bytes per
 * order would be 2.4 MB). Orders, inventory, trending and carts are off: each has its own
 * allocation test. As in FraudAllocationTest, a throw-away engine runs first so one-time class
 * linkage is not counted.
 */
class WindowRuleAllocationTest {
    private static final int RING = 20_000;
    private static final int SLOT = 1_024;
    private static final long T0 = 1_767_600_000_000_000L; // 2026-01-05
    private static final int TIME_AT = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();
    private static final long JIT_TOLERANCE_BYTES = 8_192;

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * SLOT]);
    private final int[] lengths = new int[RING];
    private final OutputBuffer out = new OutputBuffer(64 * 1024);
    /** [scored, not approved, scored with a window count of 3 or more]: counted by the listener without allocating. */
    private final long[] counts = new long[3];

    private static EngineConfig config() {
        final EngineConfig c = new EngineConfig();
        c.orders.enabled = false;
        c.inventory.enabled = false;
        c.trending.enabled = false;
        c.carts.enabled = false;
        c.decisions.repeats = "again"; // the ring's orders come back: each is scored again, the path measured here
        c.windows = new ArrayList<>(List.of(new WindowConfig().name("user_10m").key("user").kind("sliding").size("10m").step("1m")
            .metrics("count", "sum(amount)", "distinct(deviceId)")));
        final FraudConfig.RuleConfig burst = new FraudConfig.RuleConfig().reason("USER_BURST").on("order")
            .when("user_10m.count >= 3").action("review");
        final FraudConfig.RuleConfig spend = new FraudConfig.RuleConfig().reason("SPEND").on("order")
            .when("user_10m.sum > 5000", "user_10m.distinct(deviceId) >= 3").action("add 0.2");
        c.fraud.rules.add(burst);
        c.fraud.rules.add(spend);
        c.validate();
        return c;
    }

    private EngineLogic logic(final EngineConfig config) {
        return new EngineLogic(BusinessSpec.of(config), (seq, buffer, offset, scorer, verdict) -> {
            counts[0]++;
            if (verdict.outcome() != Outcome.APPROVE) {
                counts[1]++;
            }
            if (scorer.lastFeatures().windowTerm(0) >= 3) {
                counts[2]++;
            }
        });
    }

    @Test
    void shouldNotAllocatePerScoredOrderWhenRulesReadSlidingWindows() {
        final JsonEventParser parser = new JsonEventParser();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(SLOT);
        final ParseResult result = new ParseResult();
        for (int i = 0; i < RING; i++) {
            final String line = "{\"type\":\"order\",\"time\":\"2026-01-05T00:00:00Z\",\"orderId\":\"o" + i + "\",\"userId\":\"u" + i % 100
                + "\",\"amount\":\"" + (5 + i % 40) + ".50\",\"currency\":\"" + (i % 3 == 0 ? "USD" : "EUR") + "\",\"deviceId\":\"d" + i % 37
                + "\",\"ip\":\"10.0." + i % 50 + ".1\"}";
            lengths[i] = parser.parse(line, i + 1, i + 1, scratch, 0, result);
            assertTrue(lengths[i] > 0 && lengths[i] <= SLOT, result.toString());
            events.putBytes(i * SLOT, scratch, 0, lengths[i]);
        }
        final EngineConfig config = config();
        feed(logic(config), 0, 200_000); // links every code path once
        final EngineLogic logic = logic(config);
        feed(logic, 0, 100_000);
        java.util.Arrays.fill(counts, 0);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        feed(logic, 100_000, 400_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(counts[0] == 300_000, "scored orders: " + counts[0]);
        assertTrue(counts[2] > 10_000, "orders whose user had 3+ orders in its window: " + counts[2]);
        assertTrue(counts[1] > 1_000, "orders the window rules held: " + counts[1]);
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated by 300,000 scored orders in steady state: " + allocated);
    }

    /** Orders [from, to), 1.5 s of event time apart. */
    private void feed(final EngineLogic logic, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final int offset = (i % RING) * SLOT;
            events.putLong(offset + TIME_AT, T0 + i * 1_500_000L, ByteOrder.LITTLE_ENDIAN);
            out.reset();
            logic.onEvent(i + 1, 0, events, offset, lengths[i % RING], out);
        }
    }
}
