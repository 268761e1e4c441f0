package io.ringfence.engine.fraud;

/**
 * Validated settings of the feature state (from {@code fraud.state}, {@code fraud.features} and
 * {@code fraud.riskyItems}).
 *
 * @param maxUsers            live user keys at most
 * @param maxDevices          live device keys at most
 * @param maxIps              live IP keys at most
 * @param maxInstruments      live instrument keys at most
 * @param idleTtlMicros       a key not seen for this long in event time is evicted
 * @param zscoreMinHistory    earlier orders a user needs before {@code user_amount_zscore} has a value
 * @param failPriorRate       prior failure rate of the fail ratios
 * @param failPriorWeight     weight of the prior, in attempts
 * @param riskyItems          the skus and categories {@code risky_items} counts
 */
public record FeatureSettings(int maxUsers, int maxDevices, int maxIps, int maxInstruments, long idleTtlMicros,
                              int zscoreMinHistory, double failPriorRate, double failPriorWeight, RiskyItems riskyItems) {
    public FeatureSettings {
        if (riskyItems == null) {
            throw new IllegalArgumentException("riskyItems must not be null (RiskyItems.NONE for none)");
        }
    }

    /** Without risky items. */
    public FeatureSettings(final int maxUsers, final int maxDevices, final int maxIps, final int maxInstruments,
                           final long idleTtlMicros, final int zscoreMinHistory, final double failPriorRate,
                           final double failPriorWeight) {
        this(maxUsers, maxDevices, maxIps, maxInstruments, idleTtlMicros, zscoreMinHistory, failPriorRate, failPriorWeight,
            RiskyItems.NONE);
    }

    /** Small tables for tests. */
    public static FeatureSettings defaults() {
        return new FeatureSettings(65_536, 65_536, 65_536, 65_536, 30 * Horizon.DAY, 3, 0.05, 2.0);
    }

    /** The same with other risky items. */
    public FeatureSettings withRiskyItems(final RiskyItems items) {
        return new FeatureSettings(maxUsers, maxDevices, maxIps, maxInstruments, idleTtlMicros, zscoreMinHistory,
            failPriorRate, failPriorWeight, items);
    }
}
