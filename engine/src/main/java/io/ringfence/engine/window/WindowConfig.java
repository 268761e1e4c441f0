package io.ringfence.engine.window;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonSetter;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the {@code windows:} list of the engine configuration, as bound by Jackson from
 * YAML. Unvalidated: {@link WindowSpec#from(WindowConfig, String)} checks it.
 *
 * <pre>
 * windows:
 *   - name: gmv_by_country_1h
 *     key: country            # user, device, ip, instrument, merchant, sku, category, country, or a list
 *     kind: tumbling          # or sliding, with step
 *     size: 1h
 *     step: 5m                # sliding only; size must be a multiple of step
 *     lateness: 0s            # default 0s
 *     events: [order]         # default [order]; order, payment, activity
 *     maxKeys: 100000         # default 100000
 *     metrics: [count, sum(amount), max(amount), distinct(userId), topk(sku, 10)]
 * </pre>
 *
 * An unknown property fails binding with its name, whatever the mapper's
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} setting.
 */
public final class WindowConfig {
    public String name;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> key;
    public String kind;
    public String size;
    public String step;
    public String lateness;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> events;
    public Integer maxKeys;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> metrics;

    public WindowConfig() {
    }

    /**
     * Binding of {@code metrics}: a YAML flow list splits {@code topk(sku, 10)} at its comma into
     * {@code topk(sku} and {@code 10)}; the pieces are joined back here, so the configuration holds
     * (and a recorded copy of it writes) one entry per metric as the user wrote it.
     */
    @JsonSetter("metrics")
    void bindMetrics(final List<String> values) {
        if (values == null) {
            metrics = null;
            return;
        }
        final List<String> joined = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String text = values.get(i);
            while (text != null && text.indexOf('(') >= 0 && text.indexOf(')') < 0
                && i + 1 < values.size() && values.get(i + 1) != null) {
                text = text + ", " + values.get(++i);
            }
            joined.add(text);
        }
        metrics = joined;
    }

    /** Fluent copy-free setters for code and tests. */
    public WindowConfig name(final String value) {
        name = value;
        return this;
    }

    public WindowConfig key(final String... parts) {
        key = List.of(parts);
        return this;
    }

    public WindowConfig kind(final String value) {
        kind = value;
        return this;
    }

    public WindowConfig size(final String value) {
        size = value;
        return this;
    }

    public WindowConfig step(final String value) {
        step = value;
        return this;
    }

    public WindowConfig lateness(final String value) {
        lateness = value;
        return this;
    }

    public WindowConfig events(final String... types) {
        events = List.of(types);
        return this;
    }

    public WindowConfig maxKeys(final int value) {
        maxKeys = value;
        return this;
    }

    public WindowConfig metrics(final String... values) {
        metrics = List.of(values);
        return this;
    }

    @JsonAnySetter
    void unknown(final String property, final Object value) {
        throw new IllegalArgumentException("unknown window property '" + property
            + "' (known: name, key, kind, size, step, lateness, events, maxKeys, metrics)");
    }
}
