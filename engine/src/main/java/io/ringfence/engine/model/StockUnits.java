package io.ringfence.engine.model;

/**
 * Bounds of stock quantities. An inventory {@code level} is 0 to {@link #MAX} units and a {@code delta} at most that
 * either way (input refuses more); a warehouse's level is kept within {@code ±MAX}, so a sku's on-hand sum over its
 * warehouses and what open orders reserve never overflow a {@code long} (an audit: a level of 2^63 - 1 after a
 * negative one wrapped a sku's on-hand to -2^63 and left it OUT for good).
 */
public final class StockUnits {
    /** The largest count or movement of one sku in one warehouse, in units (a quadrillion). */
    public static final long MAX = 1_000_000_000_000_000L;

    private StockUnits() {
    }

    /** {@code units} within {@code ±MAX} (a journal written before the bound may hold more). */
    public static long clamp(final long units) {
        return Math.max(-MAX, Math.min(MAX, units));
    }
}
