package io.ringfence.engine.anomaly;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;

import java.util.List;

/**
 * One entry of the {@code anomalies:} list of the engine configuration, as bound by Jackson from
 * YAML (unvalidated: {@link AnomalyMonitorSpec#from} checks it against the windows).
 *
 * <pre>
 * anomalies:
 *   - name: orders_by_country        # names the alerts' metric source; up to 48 bytes
 *     window: orders_by_country_1h   # a configured tumbling window
 *     metric: count                  # count, sum(amount), mean(amount) (the window must have the latter two),
 *                                    # rate(failed), rate(declined), rate(held) (the window must count the subset)
 *     minCount: 20                   # rates: an interval with a smaller base count is a gap
 *     keys: [United Kingdom]         # optional: only these keys; absent = every key of the window
 *     maxSeries: 1000                # series tracked at most; a further key is dropped and counted
 *     idleIntervals: 336             # a series with no event for this many intervals is evicted (default 2 seasons, at least 48)
 *     detector:                      # AnomalyConfig: forecast and band settings, all optional
 *       seasonLength: 168
 * </pre>
 */
public final class AnomalyMonitorConfig {
    public String name;
    public String window;
    public String metric;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> keys;
    public Integer maxSeries;
    public Integer idleIntervals;
    /** Rates only (absent from the digest when unset, so older configurations keep theirs). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public Integer minCount;
    public AnomalyConfig detector;

    public AnomalyMonitorConfig() {
    }

    public AnomalyMonitorConfig name(final String value) {
        name = value;
        return this;
    }

    public AnomalyMonitorConfig window(final String value) {
        window = value;
        return this;
    }

    public AnomalyMonitorConfig metric(final String value) {
        metric = value;
        return this;
    }

    public AnomalyMonitorConfig keys(final List<String> value) {
        keys = value;
        return this;
    }

    public AnomalyMonitorConfig maxSeries(final int value) {
        maxSeries = value;
        return this;
    }

    public AnomalyMonitorConfig idleIntervals(final int value) {
        idleIntervals = value;
        return this;
    }

    public AnomalyMonitorConfig minCount(final int value) {
        minCount = value;
        return this;
    }

    public AnomalyMonitorConfig detector(final AnomalyConfig value) {
        detector = value;
        return this;
    }

    @JsonAnySetter
    void unknown(final String property, final Object value) {
        throw new IllegalArgumentException("unknown anomalies property '" + property
            + "' (known: name, window, metric, keys, maxSeries, idleIntervals, minCount, detector)");
    }
}
