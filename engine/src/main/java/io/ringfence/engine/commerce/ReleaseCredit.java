package io.ringfence.engine.commerce;

/**
 * Stock that an order's arrival will release before it reserves its own: the reservation of the
 * order a full book forgets to make room for it ({@code orders.whenFull: forget-oldest}). The
 * oversell check, which runs before the order is applied, counts it as available, so the decision
 * agrees with the stock the order then finds.
 */
@FunctionalInterface
interface ReleaseCredit {
    /** Nothing will be released. */
    ReleaseCredit NONE = sku -> 0;

    /** Units of {@code skuHash} that will be released. */
    long of(long skuHash);
}
