package io.ringfence.engine.fraud;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.fraud.Feature.RISKY_ITEMS;
import static io.ringfence.engine.fraud.FraudEvents.MINUTE;
import static io.ringfence.engine.fraud.FraudEvents.order;
import static io.ringfence.engine.fraud.FraudEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code risky_items}: the order's item lines whose sku or category is on {@code fraud.riskyItems}. */
class RiskyItemsTest {
    private static FeatureHarness harness(final List<String> skus, final List<String> categories) {
        return new FeatureHarness(FeatureSettings.defaults().withRiskyItems(new RiskyItems(skus, categories)));
    }

    @Test
    void shouldCountTheLinesWhoseSkuIsListed() {
        final FeatureHarness h = harness(List.of("GIFT-50", "PSN-20"), List.of());
        assertEquals(2, h.feed(order(0).item("GIFT-50", "cards").item("mug-1", "home").item("PSN-20", "")).get(RISKY_ITEMS));
        assertEquals(0, h.feed(order(MINUTE).item("mug-1", "home")).get(RISKY_ITEMS));
        assertEquals(2, h.feed(order(2 * MINUTE).item("GIFT-50", "").item("GIFT-50", "")).get(RISKY_ITEMS),
            "lines are counted, not distinct skus");
    }

    @Test
    void shouldCountTheLinesWhoseCategoryIsListed() {
        final FeatureHarness h = harness(List.of(), List.of("giftcards", "electronics"));
        assertEquals(2, h.feed(order(0).item("a", "giftcards").item("b", "home").item("c", "electronics")).get(RISKY_ITEMS));
        assertEquals(0, h.feed(order(MINUTE).item("giftcards", "home")).get(RISKY_ITEMS),
            "a sku equal to a listed category is not a listed sku");
    }

    @Test
    void shouldCountALineOnceWhenBothItsSkuAndCategoryAreListed() {
        final FeatureHarness h = harness(List.of("GIFT-50"), List.of("giftcards"));
        assertEquals(3, h.feed(order(0).item("GIFT-50", "giftcards").item("GIFT-50", "home").item("x", "giftcards")
            .item("y", "home")).get(RISKY_ITEMS));
    }

    @Test
    void shouldMatchIdsExactlyAsSent() {
        final FeatureHarness h = harness(List.of("TRANSFER"), List.of("Gift Cards"));
        assertEquals(0, h.feed(order(0).item("transfer", "gift cards").item("TRANSFER ", "GiftCards")).get(RISKY_ITEMS));
        assertEquals(2, h.feed(order(MINUTE).item("TRANSFER", "").item("z", "Gift Cards")).get(RISKY_ITEMS));
        // the 36-byte limit of an sku field: the full width is read, not a prefix
        final String longSku = "S".repeat(36);
        final FeatureHarness full = harness(List.of(longSku), List.of());
        assertEquals(1, full.feed(order(0).item(longSku, "")).get(RISKY_ITEMS));
        assertEquals(0, full.feed(order(MINUTE).item(longSku.substring(1), "")).get(RISKY_ITEMS));
    }

    @Test
    void shouldBeZeroWithEmptyListsOrNoItems() {
        final FeatureHarness none = new FeatureHarness();
        assertEquals(0, none.feed(order(0).item("GIFT-50", "giftcards")).get(RISKY_ITEMS));
        final FeatureHarness h = harness(List.of("GIFT-50"), List.of("giftcards"));
        assertEquals(0, h.feed(order(0)).get(RISKY_ITEMS), "an order without item lines");
    }

    @Test
    void shouldBeMissingOnPayments() {
        final FeatureHarness h = harness(List.of("GIFT-50"), List.of());
        h.feed(order(0).item("GIFT-50", ""));
        final FeatureVector p = h.feed(payment(MINUTE));
        assertTrue(p.missing(RISKY_ITEMS), "payments carry no items: " + p.get(RISKY_ITEMS));
        assertTrue(new FeatureHarness().feed(payment(MINUTE)).missing(RISKY_ITEMS), "also with empty lists");
    }

    /** The lists change this one feature and nothing else, and keep no state. */
    @Test
    void shouldLeaveEveryOtherFeatureAndTheStateAsTheyAre() {
        final FeatureHarness plain = new FeatureHarness();
        final FeatureHarness listed = harness(List.of("GIFT-50"), List.of("giftcards"));
        for (int i = 0; i < 50; i++) {
            final FraudEvents.Event e = i % 3 == 2 ? payment(i * MINUTE).user("u" + i % 4)
                : order(i * MINUTE).user("u" + i % 4).item(i % 2 == 0 ? "GIFT-50" : "mug", "home");
            final FeatureVector a = plain.feed(e);
            final FeatureVector b = listed.feed(e);
            for (int f = 0; f < Feature.COUNT; f++) {
                if (f != RISKY_ITEMS.ordinal()) {
                    assertEquals(Double.doubleToRawLongBits(a.get(f)), Double.doubleToRawLongBits(b.get(f)),
                        "event " + i + ", " + Feature.at(f));
                }
            }
        }
        assertEquals(plain.features.stateHash(), listed.features.stateHash());
    }

    @Test
    void shouldMatchOnlyWhatIsListed() {
        final RiskyItems r = new RiskyItems(List.of("a"), List.of("c"));
        assertTrue(r.matches(FraudIds.hash("a"), FraudIds.ABSENT));
        assertTrue(r.matches(FraudIds.ABSENT, FraudIds.hash("c")));
        assertFalse(r.matches(FraudIds.hash("c"), FraudIds.hash("a")), "sku and category lists are separate");
        assertFalse(r.matches(FraudIds.ABSENT, FraudIds.ABSENT));
        assertTrue(RiskyItems.NONE.isEmpty());
        assertFalse(r.isEmpty());
        assertFalse(RiskyItems.NONE.matches(FraudIds.hash("a"), FraudIds.hash("c")));
    }
}
