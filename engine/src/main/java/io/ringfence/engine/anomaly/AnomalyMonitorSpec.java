package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.ConfigProblems;
import io.ringfence.engine.window.Metric;
import io.ringfence.engine.window.WindowSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code anomalies:} entry: which tumbling window and metric feed the series, which
 * keys, the bounds, and the detector settings.
 */
public final class AnomalyMonitorSpec {
    /** What one interval of a key contributes to its series. */
    public enum SeriesMetric {
        /** Events (or item lines) in the interval; 0 for an interval without events. */
        COUNT("count"),
        /** Sum of amounts in major units of the key's currency; 0 for an interval without events. */
        SUM_AMOUNT("sum(amount)"),
        /** Mean amount in major units; unknown (a gap, nothing learned) for an interval without events. */
        MEAN_AMOUNT("mean(amount)", null),
        /** {@code count(failed) / count(attempts)}: the payment failure rate, 0..1. */
        RATE_FAILED("rate(failed)", Metric.Subset.FAILED),
        /** {@code count(declined) / count}: the share of decided orders/payments declined, 0..1. */
        RATE_DECLINED("rate(declined)", Metric.Subset.DECLINED),
        /** {@code count(held) / count}: the share of decided orders/payments held (REVIEW or DECLINE), 0..1. */
        RATE_HELD("rate(held)", Metric.Subset.HELD);

        private final String text;
        private final Metric.Subset subset;

        SeriesMetric(final String text) {
            this(text, null);
        }

        SeriesMetric(final String text, final Metric.Subset subset) {
            this.text = text;
            this.subset = subset;
        }

        public String text() {
            return text;
        }

        /** True when an interval without events is a 0 observation, false when it is a gap. */
        public boolean zeroWhenEmpty() {
            return this == COUNT || this == SUM_AMOUNT;
        }

        /** True for a rate (subset count over its base count per interval). */
        public boolean isRate() {
            return subset != null;
        }

        /** The numerator of a rate, else null. */
        public Metric.Subset subset() {
            return subset;
        }

        /** The denominator of a rate: {@code count(attempts)} for failed payments, null for the window's {@code count}. */
        public Metric.Subset base() {
            return subset == Metric.Subset.FAILED ? Metric.Subset.ATTEMPTS : null;
        }
    }

    public static final int DEFAULT_MAX_SERIES = 1_000;
    public static final int MAX_MAX_SERIES = 100_000;
    /** The most learned state one monitor may hold at maxSeries (its series' arrays), so a typo cannot exhaust the heap. */
    static final long MAX_MONITOR_BYTES = 1L << 30;
    public static final int IDLE_SEASONS = 2;
    /** The default {@code idleIntervals} is at least this many intervals (2 days of hours). */
    public static final int MIN_IDLE_INTERVALS = 48;
    /** Rates: an interval whose base count is below this is a gap (nothing learned, no alert). */
    public static final int DEFAULT_MIN_COUNT = 20;
    public static final int MAX_MIN_COUNT = 1_000_000_000;

    private final String name;
    private final byte[] nameBytes;
    private final WindowSpec window;
    private final SeriesMetric metric;
    private final List<byte[]> keys;
    private final int maxSeries;
    private final int idleIntervals;
    private final AnomalySpec detector;
    private final int minCount;
    private final int subsetIndex;
    private final int baseIndex;

    private AnomalyMonitorSpec(final String name, final WindowSpec window, final SeriesMetric metric, final List<byte[]> keys,
                               final int maxSeries, final int idleIntervals, final AnomalySpec detector, final int minCount) {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        this.window = window;
        this.metric = metric;
        this.keys = List.copyOf(keys);
        this.maxSeries = maxSeries;
        this.idleIntervals = idleIntervals;
        this.detector = detector;
        this.minCount = minCount;
        this.subsetIndex = metric.isRate() ? window.subsetIndex(metric.subset()) : -1;
        this.baseIndex = metric.base() == null ? -1 : window.subsetIndex(metric.base());
    }

    /** Validates every entry of the {@code anomalies:} list against the validated windows. */
    public static List<AnomalyMonitorSpec> from(final List<AnomalyMonitorConfig> configs, final List<WindowSpec> windows) {
        final List<AnomalyMonitorSpec> out = new ArrayList<>();
        if (configs == null) {
            return out;
        }
        final ConfigProblems problems = new ConfigProblems(); // every bad monitor, not the first only
        for (int i = 0; i < configs.size(); i++) {
            final String path = "anomalies[" + i + "]";
            final AnomalyMonitorConfig c = configs.get(i);
            final AnomalyMonitorSpec spec = problems.check(() -> {
                final AnomalyMonitorSpec s = from(c, windows, path);
                for (final AnomalyMonitorSpec before : out) {
                    if (before.name.equals(s.name)) {
                        throw new ConfigException(path + ".name", s.name, "is used twice: anomaly monitor names must be unique");
                    }
                }
                return s;
            });
            if (spec != null) {
                out.add(spec);
            }
        }
        problems.throwIfAny();
        return out;
    }

    static AnomalyMonitorSpec from(final AnomalyMonitorConfig c, final List<WindowSpec> windows, final String path) {
        if (c == null) {
            throw new ConfigException(path, null, "must be a mapping with name, window, metric");
        }
        if (c.name == null || c.name.isBlank()) {
            throw new ConfigException(path + ".name", c.name, "is required: it names the monitor in alerts and snapshots");
        }
        if (c.name.getBytes(StandardCharsets.UTF_8).length > WindowSpec.MAX_NAME_BYTES) {
            throw new ConfigException(path + ".name", c.name, "is longer than " + WindowSpec.MAX_NAME_BYTES + " UTF-8 bytes");
        }
        if (c.window == null) {
            throw new ConfigException(path + ".window", null, "is required: the name of a configured tumbling window");
        }
        WindowSpec window = null;
        for (final WindowSpec w : windows) {
            if (w.name().equals(c.window)) {
                window = w;
            }
        }
        if (window == null) {
            throw new ConfigException(path + ".window", c.window, "is not a configured window");
        }
        if (window.kind() != WindowSpec.Kind.TUMBLING) {
            throw new ConfigException(path + ".window", c.window, "is a sliding window: anomaly series need a tumbling window's closed intervals");
        }
        final SeriesMetric metric = metric(c.metric, window, path + ".metric");
        final List<byte[]> keys = new ArrayList<>();
        if (c.keys != null) {
            if (c.keys.isEmpty()) {
                throw new ConfigException(path + ".keys", c.keys, "is empty: leave it out to watch every key of the window");
            }
            for (final String key : c.keys) {
                if (key == null || key.isEmpty()) {
                    throw new ConfigException(path + ".keys", c.keys, "has an empty key");
                }
                keys.add(key.getBytes(StandardCharsets.UTF_8));
            }
        }
        final int maxSeries = c.maxSeries == null ? DEFAULT_MAX_SERIES : c.maxSeries;
        if (maxSeries < 1 || maxSeries > MAX_MAX_SERIES) {
            throw new ConfigException(path + ".maxSeries", c.maxSeries, "must be between 1 and " + MAX_MAX_SERIES
                + " (each series holds arrays of seasonLength values: two or three of doubles, or a seasonal mean's seasonWindow floats per phase)");
        }
        final AnomalySpec detector = RateSeries.detector(c.detector, metric, path + ".detector");
        final long seriesBytes = seriesBytes(detector);
        if (seriesBytes * maxSeries > MAX_MONITOR_BYTES) {
            throw new ConfigException(path + ".maxSeries", maxSeries, "would let this monitor hold up to "
                + (seriesBytes * maxSeries >> 20) + " MiB (" + seriesBytes + " bytes a series with seasonLength "
                + detector.seasonLength() + (detector.forecast() != AnomalySpec.Forecast.HOLT_WINTERS
                    ? " and seasonWindow " + detector.seasonWindow() : "")
                + "); at most " + (MAX_MONITOR_BYTES >> 20) + " MiB a monitor: lower maxSeries, seasonLength or seasonWindow");
        }
        final int minCount = RateSeries.minCount(c.minCount, metric, path + ".minCount");
        // at least MIN_IDLE_INTERVALS: without seasonality 2 seasons were 2 intervals, and an outage of 3 (no
        // event of the key, or of anyone: the watermark jumps) evicted the series instead of alerting on it
        final int idle = c.idleIntervals == null ? Math.max(MIN_IDLE_INTERVALS, IDLE_SEASONS * detector.seasonLength())
            : c.idleIntervals;
        if (idle < 1) {
            throw new ConfigException(path + ".idleIntervals", c.idleIntervals, "must be at least 1 interval");
        }
        return new AnomalyMonitorSpec(c.name, window, metric, keys, maxSeries, idle, detector, minCount);
    }

    private static SeriesMetric metric(final String text, final WindowSpec window, final String path) {
        if (text == null) {
            throw new ConfigException(path, null, "is required: count, sum(amount), mean(amount), rate(failed), rate(declined) or rate(held)");
        }
        final String t = text.replace(" ", "");
        if (t.equals("count")) {
            return SeriesMetric.COUNT;
        }
        if (t.startsWith("rate(")) {
            return RateSeries.metric(text, t, window, path);
        }
        final Metric.Fn fn;
        final SeriesMetric metric;
        if (t.equals("sum(amount)")) {
            fn = Metric.Fn.SUM;
            metric = SeriesMetric.SUM_AMOUNT;
        } else if (t.equals("mean(amount)")) {
            fn = Metric.Fn.MEAN;
            metric = SeriesMetric.MEAN_AMOUNT;
        } else {
            throw new ConfigException(path, text, "is not a series metric: use count, sum(amount), mean(amount),"
                + " rate(failed), rate(declined) or rate(held)");
        }
        for (final Metric m : window.metrics()) {
            if (m.fn() == fn && m.numeric() == Metric.Numeric.AMOUNT) {
                return metric;
            }
        }
        throw new ConfigException(path, text, "is not a metric of window " + window.name() + " (add it to its metrics)");
    }

    public String name() {
        return name;
    }

    byte[] nameBytes() {
        return nameBytes;
    }

    public WindowSpec window() {
        return window;
    }

    public SeriesMetric metric() {
        return metric;
    }

    /** The keys watched (UTF-8), empty for every key. */
    public List<byte[]> keys() {
        return keys;
    }

    public int maxSeries() {
        return maxSeries;
    }

    /** Intervals without an event of its key after which a series is evicted. */
    public int idleIntervals() {
        return idleIntervals;
    }

    public AnomalySpec detector() {
        return detector;
    }

    /** Rates: the smallest base count of an interval that is observed; fewer is a gap. 0 for other metrics. */
    public int minCount() {
        return minCount;
    }

    /** Rates: the numerator's position among the window's subset counts ({@link WindowSpec#subsetIndex}), else -1. */
    int subsetIndex() {
        return subsetIndex;
    }

    /** Rates: the denominator's position among the window's subset counts, or -1 for the window's {@code count}. */
    int baseIndex() {
        return baseIndex;
    }

    /** Bytes of a series' per-phase arrays: three of doubles (season, spread, slack), and a seasonal mean's (or a blend's) floats and counts. */
    private static long seriesBytes(final AnomalySpec detector) {
        final long phases = detector.seasonLength();
        final long perPhase = 3L * Double.BYTES + (detector.forecast() != AnomalySpec.Forecast.HOLT_WINTERS
            ? (long) Float.BYTES * detector.seasonWindow() + Integer.BYTES : 0);
        return phases * perPhase;
    }
}
