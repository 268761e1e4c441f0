package io.ringfence.engine.cart;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;

/**
 * The {@code carts:} section, as bound from YAML; {@link #validate} checks it into a
 * {@link CartSpec}, naming the field, the value and why in every error.
 *
 * <pre>
 * carts:
 *   enabled: true
 *   delay: 30m             # an ADD_TO_CART not followed by an order from that user within this (event time) is abandoned
 *   idleTtl: 24h           # a cart with no ADD_TO_CART for this long is forgotten (at least delay)
 *   maxCarts: 65536        # live carts; an add that would open one more is dropped and counted
 *   maxItemsPerCart: 20    # distinct skus kept per cart; further skus are dropped and counted
 *   lateness: 0s           # deadlines fire this much event time late, so an order from a slower source still counts
 * </pre>
 */
public final class CartConfig {
    public boolean enabled = true;
    public String delay = "30m";
    public String idleTtl = "24h";
    public int maxCarts = 65_536;
    public int maxItemsPerCart = 20;
    public String lateness = "0s";

    /**
     * @param path the section's name in errors ({@code carts})
     * @throws ConfigException naming the first bad field
     */
    public CartSpec validate(final String path) {
        final long delayMicros = Durations.parseMicros(path + ".delay", delay);
        if (delayMicros < 1_000_000L) {
            throw new ConfigException(path + ".delay", delay, "must be at least 1s");
        }
        final long idleTtlMicros = Durations.parseMicros(path + ".idleTtl", idleTtl);
        if (idleTtlMicros < delayMicros) {
            throw new ConfigException(path + ".idleTtl", idleTtl, "must be at least delay (" + delay
                + "): a cart is kept until its promotion is due");
        }
        if (maxCarts < 1 || maxCarts > (1 << 24)) {
            throw new ConfigException(path + ".maxCarts", maxCarts, "must be between 1 and 16777216");
        }
        if (maxItemsPerCart < 1 || maxItemsPerCart > 1_000) {
            throw new ConfigException(path + ".maxItemsPerCart", maxItemsPerCart, "must be between 1 and 1000");
        }
        final long latenessMicros = Durations.parseMicros(path + ".lateness", lateness);
        if (latenessMicros < 0) {
            throw new ConfigException(path + ".lateness", lateness, "must not be negative");
        }
        return new CartSpec(enabled, delayMicros, idleTtlMicros, maxCarts, maxItemsPerCart, latenessMicros);
    }
}
