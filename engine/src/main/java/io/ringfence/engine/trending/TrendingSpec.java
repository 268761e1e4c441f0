package io.ringfence.engine.trending;

/**
 * Validated trending settings ({@link TrendingConfig#validate}); times in microseconds.
 *
 * @param panes derived: {@code sizeMicros / stepMicros}
 */
public record TrendingSpec(boolean enabled, long sizeMicros, long stepMicros, int k, long minIntervalMicros,
                           int maxCategories, int maxSkusPerCategory, int maxSkus, long skuTtlMicros) {
    /** The defaults of {@link TrendingConfig}. */
    public static TrendingSpec defaults() {
        return new TrendingConfig().validate("trending");
    }

    public int panes() {
        return (int) (sizeMicros / stepMicros);
    }
}
