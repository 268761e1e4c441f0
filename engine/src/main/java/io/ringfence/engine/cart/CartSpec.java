package io.ringfence.engine.cart;

/** Validated cart abandonment settings ({@link CartConfig#validate}); times in microseconds. */
public record CartSpec(boolean enabled, long delayMicros, long idleTtlMicros, int maxCarts, int maxItemsPerCart,
                       long latenessMicros) {
    /** The defaults of {@link CartConfig}. */
    public static CartSpec defaults() {
        return new CartConfig().validate("carts");
    }
}
