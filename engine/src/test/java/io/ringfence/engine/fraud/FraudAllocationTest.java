package io.ringfence.engine.fraud;

import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.ActivityEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoring allocates nothing per event in steady state: after a warm-up that grows the key tables
 * to the working set, 100k+ scored orders (with the payments and activities between them, the
 * default rules, and tables small enough that full-table replacement runs all the time) allocate
 * ~0 bytes on this thread. As in the window module's AllocationTest, a throw-away scorer runs the
 * same events first so one-time class linkage is not counted; tolerance 1 KB in total (a real
 * per-event allocation of 8 bytes would show as 1 MB+).
 */
class FraudAllocationTest {
    private static final int RING = 20_000;
    /** Bytes per event in the ring: an order with three item lines is under 600. */
    private static final int SLOT = 1_024;
    /**
     * A deoptimisation re-materialises objects escape analysis had removed: a one-off few hundred
     * bytes to a few KB (1,944 B seen once in ~10 runs on a loaded machine). Per-event allocation
     * would be at least 115,000 times a few bytes.
     */
    private static final long JIT_TOLERANCE_BYTES = 8_192;
    private static final int TIME_AT = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * SLOT]);
    private final int[] offsets = new int[RING];
    private final Verdict verdict = new Verdict();

    private static FraudScorer scorer(final FraudModel model, final FraudSpec spec) {
        // 1,024 users for 3,000 in the traffic: keys are replaced all the time
        final FeatureSettings small = new FeatureSettings(1_024, 1_024, 1_024, 2_048, 30 * Horizon.DAY, 3, 0.05, 2,
            spec.features().riskyItems());
        return new FraudScorer(new FraudSpec(true, small, spec.rules(), model));
    }

    @Test
    void shouldNotAllocatePerScoredOrderInSteadyState() {
        final long[] measured = measure(FraudModel.NONE, EngineConfigLoader.defaults().fraudSpec(), false);
        assertEquals(0, measured[3], "no model, no model reasons");
    }

    /**
     * With {@code fraud.riskyItems} naming skus and categories, every order's three item lines are
     * read and matched, and a rule on {@code risky_items} fires: still nothing allocated.
     */
    @Test
    void shouldNotAllocatePerScoredOrderWithRiskyItemsListed() {
        final FraudConfig config = EngineConfigLoader.defaults().fraud;
        config.riskyItems.skus("gift-0", "gift-1", "gift-2").categories("codes");
        config.rules.add(new FraudConfig.RuleConfig().reason("RISKY_GOODS").on("order").when("risky_items >= 2").action("review"));
        final long[] measured = measure(TestModels.everyFeature(), config.validate("fraud"), true);
        assertTrue(measured[4] > 10_000, "orders with a risky line: " + measured[4]);
        assertTrue(measured[5] > 1_000, "orders the RISKY_GOODS rule held: " + measured[5]);
    }

    /**
     * The same with a logistic model over every feature: scoring, contributions and the
     * {@code f:} reasons allocate nothing either.
     */
    @Test
    void shouldNotAllocatePerScoredOrderWithAModelOverEveryFeature() {
        final LogisticModel model = TestModels.everyFeature();
        assertEquals(Feature.COUNT, model.terms().size());
        final long[] measured = measure(model, EngineConfigLoader.defaults().fraudSpec(), false);
        assertTrue(measured[3] > 1_000, "decisions with model reasons: " + measured[3]);
        assertTrue(measured[1] < measured[0] / 2, "most orders approved: " + measured[1] + " of " + measured[0]);
    }

    /**
     * Warms up, then measures bytes allocated over 300k events; returns the counts of the measured part.
     * With {@code items}, each order carries three item lines (one of them risky one time in two).
     */
    private long[] measure(final FraudModel model, final FraudSpec spec, final boolean items) {
        assertEquals(TIME_AT, MessageHeaderEncoder.ENCODED_LENGTH + PaymentEncoder.eventTimeEncodingOffset());
        assertEquals(TIME_AT, MessageHeaderEncoder.ENCODED_LENGTH + ActivityEncoder.eventTimeEncodingOffset());
        final List<FraudEvents.Event> source = ShopTraffic.events(11, 3_000, RING);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SLOT]);
        int at = 0;
        for (int i = 0; i < RING; i++) {
            offsets[i] = at;
            final FraudEvents.Event e = source.get(i);
            if (items && e instanceof FraudEvents.Order o) {
                o.item("mug-" + i % 7, "home").item(i % 2 == 0 ? "gift-" + i % 3 : "pen", "office")
                    .item("code-" + i % 5, i % 4 == 0 ? "codes" : "");
            }
            e.encode(scratch);
            events.putBytes(at, scratch, 0, SLOT);
            at += SLOT;
        }
        feed(scorer(model, spec), 0, 200_000, new long[6]); // links every code path once

        final FraudScorer scorer = scorer(model, spec);
        final long[] counts = new long[6];
        feed(scorer, 0, 100_000, counts);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long[] measured = new long[6];
        feed(scorer, 100_000, 400_000, measured);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(measured[0] >= 100_000, "scored orders measured: " + measured[0]);
        assertTrue(measured[1] > 0, "some decisions were not APPROVE: rules ran");
        assertTrue(scorer.features().evictedFull() > 0, "full-table replacement ran");
        assertTrue(allocated < JIT_TOLERANCE_BYTES,
            "bytes allocated by " + measured[0] + " scored orders in steady state: " + allocated);
        return measured;
    }

    /**
     * Events [from, to), 1.5 s of event time apart. counts: [orders, not approved, payments, decisions
     * with model reasons (more reasons than the rules that fired; the lists are empty), orders with a
     * risky item line, orders RISKY_GOODS fired on].
     */
    private void feed(final FraudScorer scorer, final int from, final int to, final long[] counts) {
        for (int i = from; i < to; i++) {
            final int offset = offsets[i % RING];
            events.putLong(offset + TIME_AT, FraudEvents.T0 + i * 1_500_000L, ByteOrder.LITTLE_ENDIAN);
            if (scorer.onEvent(events, offset, verdict)) {
                if (scorer.lastFeatures().get(Feature.IS_PAYMENT) == 0) {
                    counts[0]++;
                } else {
                    counts[2]++;
                }
                if (verdict.outcome() != Outcome.APPROVE) {
                    counts[1]++;
                }
                if (verdict.reasonCount() > scorer.lastHits().firedCount()) {
                    counts[3]++;
                }
                if (scorer.lastFeatures().get(Feature.RISKY_ITEMS) >= 1) {
                    counts[4]++;
                }
                if (scorer.lastFeatures().get(Feature.RISKY_ITEMS) >= 2 && verdict.outcome() != Outcome.APPROVE) {
                    counts[5]++;
                }
            }
        }
    }
}
