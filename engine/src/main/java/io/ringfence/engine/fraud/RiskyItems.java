package io.ringfence.engine.fraud;

import org.agrona.collections.LongHashSet;

import java.util.Collection;

/**
 * The skus and categories a shop names as high-risk goods ({@code fraud.riskyItems}), held as
 * primitive sets of their {@link FraudIds#hash} (no string is built per event). An item line is
 * risky when its sku is on the sku list or its category on the category list; ids match exactly
 * as sent (case included), like the allow and deny lists. Immutable after construction; the
 * lookups allocate nothing.
 */
public final class RiskyItems {
    /** No risky skus or categories: {@code risky_items} is 0 on every order. */
    public static final RiskyItems NONE = new RiskyItems(java.util.List.of(), java.util.List.of());

    private final LongHashSet skus;
    private final LongHashSet categories;
    private final int skuCount;
    private final int categoryCount;

    /** @param skus and {@code categories}: distinct, non-empty ids (checked by {@link FraudConfig}) */
    public RiskyItems(final Collection<String> skus, final Collection<String> categories) {
        this.skus = hashes(skus);
        this.categories = hashes(categories);
        this.skuCount = skus.size();
        this.categoryCount = categories.size();
    }

    private static LongHashSet hashes(final Collection<String> ids) {
        final LongHashSet set = new LongHashSet(Math.max(8, ids.size() * 2));
        for (final String id : ids) {
            set.add(FraudIds.hash(id));
        }
        return set;
    }

    /** True when neither list names anything (orders then skip reading their items). */
    public boolean isEmpty() {
        return skuCount + categoryCount == 0;
    }

    /**
     * Whether an item line with these keys ({@link FraudIds#hash}; {@link FraudIds#ABSENT} for an
     * empty field) is on a list.
     */
    public boolean matches(final long sku, final long category) {
        return (sku != FraudIds.ABSENT && skus.contains(sku))
            || (category != FraudIds.ABSENT && categories.contains(category));
    }

    public int skuCount() {
        return skuCount;
    }

    public int categoryCount() {
        return categoryCount;
    }

    @Override
    public String toString() {
        return "RiskyItems[" + skuCount + " skus, " + categoryCount + " categories]";
    }
}
