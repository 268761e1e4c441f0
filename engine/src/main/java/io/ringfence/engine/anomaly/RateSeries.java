package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.window.EventType;
import io.ringfence.engine.window.WindowSpec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The rules of rate series ({@code rate(failed)}, {@code rate(declined)}, {@code rate(held)}), checked
 * when an {@code anomalies:} entry is validated: which window metrics a rate needs, the
 * {@code minCount} below which an interval is a gap, and the detector settings a rate implies
 * (linear scale, binomial spread).
 *
 * <pre>
 *  rate(failed)   = count(failed)   / count(attempts)   payments by their result
 *  rate(declined) = count(declined) / count             decided orders/payments (no activity events)
 *  rate(held)     = count(held)     / count
 * </pre>
 */
final class RateSeries {
    private RateSeries() {
    }

    /** Parses {@code rate(subset)} and checks the window counts what it divides. */
    static AnomalyMonitorSpec.SeriesMetric metric(final String text, final String compact, final WindowSpec window, final String path) {
        AnomalyMonitorSpec.SeriesMetric metric = null;
        for (final AnomalyMonitorSpec.SeriesMetric m : AnomalyMonitorSpec.SeriesMetric.values()) {
            if (m.isRate() && m.text().equals(compact)) {
                metric = m;
            }
        }
        if (metric == null) {
            throw new ConfigException(path, text, "is not a rate: use rate(failed) (payments), rate(declined) or rate(held) (decisions)");
        }
        final String subset = "count(" + metric.subset().text() + ")";
        if (window.subsetIndex(metric.subset()) < 0) {
            throw new ConfigException(path, text, "needs " + subset + " in the metrics of window " + window.name() + " (add it)");
        }
        if (metric.base() != null && window.subsetIndex(metric.base()) < 0) {
            throw new ConfigException(path, text, "divides by count(" + metric.base().text() + "), which is not a metric of window "
                + window.name() + " (add it: refunds, captures and chargebacks are not attempts)");
        }
        if (metric.base() == null && window.events().contains(EventType.ACTIVITY)) {
            throw new ConfigException(path, text, "divides by the window's count, but window " + window.name()
                + " also counts activity events, which are never decided; use events: [order], [payment] or [order, payment]");
        }
        return metric;
    }

    /** {@code minCount}: only for rates, 1 at least. */
    static int minCount(final Integer value, final AnomalyMonitorSpec.SeriesMetric metric, final String path) {
        if (!metric.isRate()) {
            if (value != null) {
                throw new ConfigException(path, value, "is only for rate metrics (the smallest base count of an observed interval)");
            }
            return 0;
        }
        final int minCount = value == null ? AnomalyMonitorSpec.DEFAULT_MIN_COUNT : value;
        if (minCount < 1 || minCount > AnomalyMonitorSpec.MAX_MIN_COUNT) {
            throw new ConfigException(path, value, "must be between 1 and " + AnomalyMonitorSpec.MAX_MIN_COUNT
                + " (intervals whose base count is smaller are gaps: nothing learned, no alert)");
        }
        return minCount;
    }

    /**
     * The detector of a series: for a rate, scale {@code linear} and spread {@code binomial} unless
     * set (and no other); the binomial spread is for rates only.
     */
    static AnomalySpec detector(final AnomalyConfig given, final AnomalyMonitorSpec.SeriesMetric metric, final String path) {
        final AnomalyConfig c = given == null ? new AnomalyConfig() : given;
        if (!metric.isRate()) {
            if ("binomial".equals(c.spread)) {
                throw new ConfigException(path + ".spread", c.spread, "is for rate metrics only (it needs each interval's base count)");
            }
            return AnomalySpec.from(c, path, metric == AnomalyMonitorSpec.SeriesMetric.COUNT ? AnomalySpec.Values.COUNTS
                : metric == AnomalyMonitorSpec.SeriesMetric.SUM_AMOUNT ? AnomalySpec.Values.SUMS : AnomalySpec.Values.OTHER);
        }
        if (c.scale != null && !c.scale.equals("linear")) {
            throw new ConfigException(path + ".scale", c.scale, "cannot be used for " + metric.text() + ": a rate is forecast as it is (linear, 0..1)");
        }
        if (c.spread != null && !c.spread.equals("binomial")) {
            throw new ConfigException(path + ".spread", c.spread, "cannot be used for " + metric.text()
                + ": a rate's spread is binomial (it follows each interval's count)");
        }
        final AnomalyConfig filled = copy(c);
        filled.scale = "linear";
        filled.spread = "binomial";
        return AnomalySpec.from(filled, path);
    }

    /** A field-by-field copy, so the defaults a rate implies never change the user's configuration (or its digest). */
    private static AnomalyConfig copy(final AnomalyConfig c) {
        final AnomalyConfig copy = new AnomalyConfig();
        try {
            for (final Field f : AnomalyConfig.class.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.set(copy, f.get(c));
                }
            }
        } catch (final IllegalAccessException e) {
            throw new IllegalStateException("cannot copy the detector settings: " + e, e);
        }
        return copy;
    }
}
