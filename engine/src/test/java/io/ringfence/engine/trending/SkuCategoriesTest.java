package io.ringfence.engine.trending;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data trial: a sku's learned category outlived its skuTtl until the sweep (4 slots an event) reached it, so views were
 * counted under a category 31-35 days after a 30-day skuTtl. An entry past its ttl is now unknown when looked up.
 */
class SkuCategoriesTest {
    private static final long DAY = 86_400_000_000L;

    @Test
    void anEntryPastItsTtlIsUnknownBeforeTheSweepReachesIt() {
        final SkuCategories categories = new SkuCategories(1_000, 30 * DAY);
        final UnsafeBuffer category = new UnsafeBuffer(new byte[TrendingPushWriter.ID]);
        category.putBytes(0, "toys".getBytes(StandardCharsets.US_ASCII));
        for (long sku = 1; sku <= 100; sku++) {
            categories.learn(sku, category, 0, TrendingPushWriter.ID, 7, sku == 1 ? 0 : 20 * DAY);
        }
        assertTrue(categories.find(1, 30 * DAY) >= 0, "seen 30 days ago: still known");
        assertEquals(-1, categories.find(1, 30 * DAY + 1), "past its ttl, though no sweep has run since");
        assertTrue(categories.find(2, 30 * DAY + 1) >= 0, "seen 20 days ago: known");
        categories.learn(1, category, 0, TrendingPushWriter.ID, 7, 31 * DAY);
        assertTrue(categories.find(1, 31 * DAY) >= 0, "seen again on an order line: known again");
        assertEquals(-1, categories.find(101, 0), "never learned");
    }
}
