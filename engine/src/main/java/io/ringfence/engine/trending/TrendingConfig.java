package io.ringfence.engine.trending;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;

/**
 * The {@code trending:} section, as bound from YAML; {@link #validate} checks it into a
 * {@link TrendingSpec}, naming the field, the value and why in every error.
 *
 * <pre>
 * trending:
 *   enabled: true
 *   size: 1h                 # sliding window length (event time)
 *   step: 5m                 # pane length: the window slides by this; size must be a multiple of it
 *   k: 10                    # skus per pushed list
 *   minInterval: 1m          # a category's list is examined (and pushed if changed) at most once per this, event time
 *   maxCategories: 256       # live categories per list (views, sales); new ones beyond are dropped and counted
 *   maxSkusPerCategory: 1024 # live skus per category; beyond, a new one that outsells the least takes its place
 *   maxSkus: 65536           # sku -> category entries learned from order lines; new ones beyond are dropped and counted
 *   skuTtl: 30d              # a learned sku -> category entry not seen on an order line for this long is forgotten
 * </pre>
 */
public final class TrendingConfig {
    public boolean enabled = true;
    public String size = "1h";
    public String step = "5m";
    public int k = 10;
    public String minInterval = "1m";
    public int maxCategories = 256;
    public int maxSkusPerCategory = 1024;
    public int maxSkus = 65_536;
    public String skuTtl = "30d";

    /** Most panes a window may have (the expiry walk and the per-sku counters scale with it). */
    public static final int MAX_PANES = 1_440;

    /**
     * @param path the section's name in errors ({@code trending})
     * @throws ConfigException naming the first bad field
     */
    public TrendingSpec validate(final String path) {
        final long sizeMicros = Durations.parseMicros(path + ".size", size);
        final long stepMicros = Durations.parseMicros(path + ".step", step);
        if (stepMicros <= 0) {
            throw new ConfigException(path + ".step", step, "must be a positive duration");
        }
        if (sizeMicros < stepMicros || sizeMicros % stepMicros != 0) {
            throw new ConfigException(path + ".size", size, "must be a positive multiple of step (" + step + ")");
        }
        if (sizeMicros / stepMicros > MAX_PANES) {
            throw new ConfigException(path + ".size", size, "must be at most " + MAX_PANES + " steps (" + step + ") long");
        }
        if (k < 1 || k > 100) {
            throw new ConfigException(path + ".k", k, "must be between 1 and 100 (skus per pushed list)");
        }
        final long minIntervalMicros = Durations.parseMicros(path + ".minInterval", minInterval);
        if (minIntervalMicros < 0) {
            throw new ConfigException(path + ".minInterval", minInterval, "must be 0s (examine on every event) or a positive duration");
        }
        if (maxCategories < 1 || maxCategories > 65_536) {
            throw new ConfigException(path + ".maxCategories", maxCategories, "must be between 1 and 65536");
        }
        if (maxSkusPerCategory < k || maxSkusPerCategory > 65_536) {
            throw new ConfigException(path + ".maxSkusPerCategory", maxSkusPerCategory, "must be between k (" + k + ") and 65536");
        }
        if ((long) maxCategories * maxSkusPerCategory > (1 << 24)) {
            throw new ConfigException(path + ".maxSkusPerCategory", maxSkusPerCategory, "times maxCategories (" + maxCategories
                + ") must be at most 16777216 live (category, sku) counters");
        }
        if (maxSkus < 1 || maxSkus > (1 << 24)) {
            throw new ConfigException(path + ".maxSkus", maxSkus, "must be between 1 and 16777216");
        }
        final long skuTtlMicros = Durations.parseMicros(path + ".skuTtl", skuTtl);
        if (skuTtlMicros < sizeMicros) {
            throw new ConfigException(path + ".skuTtl", skuTtl, "must be at least the window size (" + size + ")");
        }
        return new TrendingSpec(enabled, sizeMicros, stepMicros, k, minIntervalMicros, maxCategories, maxSkusPerCategory,
            maxSkus, skuTtlMicros);
    }
}
