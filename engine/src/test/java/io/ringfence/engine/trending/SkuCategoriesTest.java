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
            categories.learn(sku, category, 0, TrendingPushWriter.ID, 7, sku == 1 ? 0 : 20 * DAY, 20 * DAY);
        }
        assertTrue(categories.find(1, 30 * DAY) >= 0, "seen 30 days ago: still known");
        assertEquals(-1, categories.find(1, 30 * DAY + 1), "past its ttl, though no sweep has run since");
        assertTrue(categories.find(2, 30 * DAY + 1) >= 0, "seen 20 days ago: known");
        categories.learn(1, category, 0, TrendingPushWriter.ID, 7, 31 * DAY, 31 * DAY);
        assertTrue(categories.find(1, 31 * DAY) >= 0, "seen again on an order line: known again");
        assertEquals(-1, categories.find(101, 0), "never learned");
    }

    /**
     * Trial: a full table refused a new sku while an entry had expired that the sweep had not reached yet ("1 not learned
     * (trending.maxSkus)"), and the new sku's views went under "unknown". The new sku now takes the expired entry's place.
     */
    @Test
    void aNewSkuTakesThePlaceOfAnExpiredEntryInAFullTable() {
        final SkuCategories categories = new SkuCategories(100, 30 * DAY);
        final UnsafeBuffer category = new UnsafeBuffer(new byte[TrendingPushWriter.ID]);
        category.putBytes(0, "toys".getBytes(StandardCharsets.US_ASCII));
        for (long sku = 1; sku <= 100; sku++) { // sku 60 last seen at day 0, the others at day 20
            categories.learn(sku, category, 0, TrendingPushWriter.ID, 7, sku == 60 ? 0 : 20 * DAY, 20 * DAY);
        }
        categories.learn(101, category, 0, TrendingPushWriter.ID, 7, 30 * DAY + 1, 30 * DAY + 1);
        assertEquals(0, categories.dropped(), "not refused: sku 60 had expired");
        assertTrue(categories.find(101, 30 * DAY + 1) >= 0, "learned");
        assertEquals(-1, categories.find(60, 30 * DAY + 1));
        assertEquals(100, categories.size());
        categories.learn(102, category, 0, TrendingPushWriter.ID, 7, 30 * DAY + 2, 30 * DAY + 2);
        assertEquals(1, categories.dropped(), "a full table of live entries still refuses a new sku");
        assertEquals(-1, categories.find(102, 30 * DAY + 2));
    }
}
