package io.ringfence.engine.window;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;
import io.ringfence.sbe.WindowResultEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated, immutable window definition. Built from a {@link WindowConfig} by
 * {@link #from(WindowConfig, String)}, which rejects every problem with a {@link ConfigException}
 * naming the field, the value and what is wrong.
 *
 * <p>Beyond the obvious checks: money metrics (sum/min/max/mean/stddev of amount) need every
 * event type to carry an amount (order, payment: not activity); qty metrics need orders only;
 * a distinct/topk field must exist in at least one of the event types; topk is only available
 * on tumbling windows (sliding windows are queried, not emitted); the number of panes a window
 * keeps live ({@code size/step + ceil(lateness/step) + 2}) is at most {@value #MAX_PANES}.
 */
public final class WindowSpec {
    /** Kind of window. */
    public enum Kind { TUMBLING, SLIDING }

    public static final int MAX_NAME_BYTES = 48;
    public static final int MAX_KEY_PARTS = 4;
    public static final int DEFAULT_MAX_KEYS = 100_000;
    public static final int MAX_MAX_KEYS = 10_000_000;
    public static final int MAX_PANES = 100_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String name;
    private final byte[] nameBytes;
    private final List<KeyField> key;
    private final Kind kind;
    private final long sizeMicros;
    private final long stepMicros;
    private final long latenessMicros;
    private final Set<EventType> events;
    private final int eventMask;
    private final int maxKeys;
    private final List<Metric> metrics;
    private final boolean money;

    private WindowSpec(final String name, final List<KeyField> key, final Kind kind, final long size, final long step,
                       final long lateness, final Set<EventType> events, final int maxKeys, final List<Metric> metrics) {
        this.name = name;
        this.nameBytes = Arrays.copyOf(name.getBytes(StandardCharsets.UTF_8), WindowResultEncoder.windowLength());
        this.key = List.copyOf(key);
        this.kind = kind;
        this.sizeMicros = size;
        this.stepMicros = step;
        this.latenessMicros = lateness;
        this.events = Collections.unmodifiableSet(EnumSet.copyOf(events));
        int mask = 0;
        for (final EventType t : events) {
            mask |= t.bit();
        }
        this.eventMask = mask;
        this.maxKeys = maxKeys;
        this.metrics = List.copyOf(metrics);
        boolean m = false;
        for (final Metric metric : metrics) {
            m |= metric.isMoney();
        }
        this.money = m;
    }

    /**
     * Validates one configured window.
     *
     * @param c    the bound configuration
     * @param path where it is in the configuration, e.g. {@code windows[0]}
     * @throws ConfigException on the first problem found
     */
    public static WindowSpec from(final WindowConfig c, final String path) {
        final String name = c.name;
        if (name == null || name.isEmpty()) {
            throw new ConfigException(path + ".name", null, "is required (letters, digits, _ . -)");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new ConfigException(path + ".name", name, "is longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(path + ".name", name, "may only contain letters, digits, '_', '.' and '-'");
        }

        if (c.kind == null) {
            throw new ConfigException(path + ".kind", null, "is required: tumbling or sliding");
        }
        final Kind kind;
        if (c.kind.equalsIgnoreCase("tumbling")) { // any case, as the other names of the configuration (audit)
            kind = Kind.TUMBLING;
        } else if (c.kind.equalsIgnoreCase("sliding")) {
            kind = Kind.SLIDING;
        } else {
            throw new ConfigException(path + ".kind", c.kind, "is not a window kind: use tumbling or sliding");
        }

        final long size = positiveDuration(path + ".size", c.size);
        final long step;
        if (kind == Kind.SLIDING) {
            if (c.step == null) {
                throw new ConfigException(path + ".step", null, "is required for a sliding window (size must be a multiple of it)");
            }
            step = positiveDuration(path + ".step", c.step);
            if (size % step != 0) {
                throw new ConfigException(path + ".step", c.step, "does not divide size " + c.size + " (size must be a whole number of steps)");
            }
        } else {
            if (c.step != null) {
                throw new ConfigException(path + ".step", c.step, "is only for sliding windows (a tumbling window steps by its size)");
            }
            step = size;
        }
        final long lateness;
        if (c.lateness == null) {
            lateness = 0;
        } else {
            if (c.lateness.trim().startsWith("-")) {
                throw new ConfigException(path + ".lateness", c.lateness, "must not be negative");
            }
            lateness = Durations.parseMicros(path + ".lateness", c.lateness);
        }
        final long panes = size / step + (lateness + step - 1) / step + 2;
        if (panes > MAX_PANES) {
            throw new ConfigException(path + ".step", kind == Kind.SLIDING ? c.step : c.size,
                "makes " + panes + " live panes (size/step + lateness/step + 2); at most " + MAX_PANES + " are allowed");
        }

        if (c.key == null || c.key.isEmpty()) {
            throw new ConfigException(path + ".key", null, "is required: one of " + KeyField.allNames(true) + ", or a list of them");
        }
        if (c.key.size() > MAX_KEY_PARTS) {
            throw new ConfigException(path + ".key", c.key, "has " + c.key.size() + " parts; at most " + MAX_KEY_PARTS);
        }
        final List<KeyField> key = new ArrayList<>();
        for (int i = 0; i < c.key.size(); i++) {
            final String text = c.key.get(i);
            final String field = c.key.size() == 1 ? path + ".key" : path + ".key[" + i + "]";
            final KeyField f = KeyField.fromConfig(text);
            if (f == null || !f.keyable()) {
                throw new ConfigException(field, text, "is not a key field (known: " + KeyField.allNames(true) + ")");
            }
            if (key.contains(f)) {
                throw new ConfigException(field, text, "appears twice in the key");
            }
            key.add(f);
        }

        final EnumSet<EventType> events = EnumSet.noneOf(EventType.class);
        if (c.events == null) {
            events.add(EventType.ORDER);
        } else {
            if (c.events.isEmpty()) {
                throw new ConfigException(path + ".events", c.events, "is empty; list at least one of order, payment, activity");
            }
            for (int i = 0; i < c.events.size(); i++) {
                final String text = c.events.get(i);
                final EventType t = EventType.fromConfig(text);
                if (t == null) {
                    throw new ConfigException(path + ".events[" + i + "]", text, "is not an event type (known: order, payment, activity)");
                }
                if (!events.add(t)) {
                    throw new ConfigException(path + ".events[" + i + "]", text, "appears twice");
                }
            }
        }
        boolean keyPossible = false;
        for (final EventType t : events) {
            boolean all = true;
            for (final KeyField f : key) {
                all &= f.presentIn(t);
            }
            keyPossible |= all;
        }
        if (!keyPossible) {
            throw new ConfigException(path + ".key", c.key, "is not carried by any of the events " + names(events) + ", so the window would stay empty");
        }

        final int maxKeys = c.maxKeys == null ? DEFAULT_MAX_KEYS : c.maxKeys;
        if (maxKeys < 1 || maxKeys > MAX_MAX_KEYS) {
            throw new ConfigException(path + ".maxKeys", c.maxKeys, "must be between 1 and " + MAX_MAX_KEYS);
        }

        if (c.metrics == null || c.metrics.isEmpty()) {
            throw new ConfigException(path + ".metrics", null, "is required: e.g. [count, sum(amount)]");
        }
        final List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < c.metrics.size(); i++) {
            final String field = path + ".metrics[" + i + "]";
            final String text = c.metrics.get(i); // whole: WindowConfig's binding joined what a YAML flow list split
            final Metric m = Metric.parse(field, text);
            for (final Metric other : metrics) {
                if (other.outputName().equals(m.outputName())) {
                    throw new ConfigException(field, text, "is listed twice");
                }
            }
            if (m.numeric() == Metric.Numeric.AMOUNT && events.contains(EventType.ACTIVITY)) {
                throw new ConfigException(field, text, "needs an amount, which activity events do not have; remove activity from events");
            }
            if (m.numeric() == Metric.Numeric.QTY && (events.contains(EventType.ACTIVITY) || events.contains(EventType.PAYMENT))) {
                throw new ConfigException(field, text, "needs item quantities, which only orders have; use events: [order]");
            }
            if (m.field() != null) {
                boolean present = false;
                for (final EventType t : events) {
                    present |= m.field().presentIn(t);
                }
                if (!present) {
                    throw new ConfigException(field, text, "counts a field that none of the events " + names(events) + " carry");
                }
            }
            if (m.subset() != null) {
                checkSubset(field, text, m.subset(), kind, events);
            }
            if (m.fn() == Metric.Fn.TOPK && kind == Kind.SLIDING) {
                throw new ConfigException(field, text, "is only available on tumbling windows (sliding windows are queried, not emitted)");
            }
            metrics.add(m);
        }
        return new WindowSpec(name, key, kind, size, step, lateness, events, maxKeys, metrics);
    }

    /** A subset count needs a tumbling window and events that can belong to the subset. */
    private static void checkSubset(final String field, final String text, final Metric.Subset subset, final Kind kind,
                                    final Set<EventType> events) {
        if (kind == Kind.SLIDING) {
            throw new ConfigException(field, text, "is only available on tumbling windows (it feeds window results and anomaly rates)");
        }
        if (subset.byPaymentResult() && !events.contains(EventType.PAYMENT)) {
            throw new ConfigException(field, text, "counts payments by their result, and the window's events " + names(events)
                + " have none; add payment to events");
        }
        if (!subset.byPaymentResult() && !events.contains(EventType.ORDER) && !events.contains(EventType.PAYMENT)) {
            throw new ConfigException(field, text, "counts decided orders and payments, and the window's events " + names(events)
                + " are never decided; use events: [order] or [payment]");
        }
    }

    /** Index of {@code count(subset)} among the window's subset counts (configuration order), or -1. */
    public int subsetIndex(final Metric.Subset subset) {
        int i = 0;
        for (final Metric m : metrics) {
            if (m.subset() != null) {
                if (m.subset() == subset) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** Number of {@code count(subset)} metrics: the per-key counters each interval keeps besides {@code count}. */
    public int subsetCount() {
        int n = 0;
        for (final Metric m : metrics) {
            if (m.subset() != null) {
                n++;
            }
        }
        return n;
    }

    private static long positiveDuration(final String field, final String text) {
        if (text != null && text.trim().startsWith("-")) {
            throw new ConfigException(field, text, "must be positive");
        }
        final long v = Durations.parseMicros(field, text);
        if (v <= 0) {
            throw new ConfigException(field, text, "must be positive");
        }
        return v;
    }

    private static String names(final Set<EventType> events) {
        final List<String> n = new ArrayList<>();
        for (final EventType t : events) {
            n.add(t.configName());
        }
        return n.toString();
    }

    public String name() {
        return name;
    }

    public List<KeyField> key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public long sizeMicros() {
        return sizeMicros;
    }

    /** Pane length: the configured step for sliding windows, the size for tumbling ones. */
    public long stepMicros() {
        return stepMicros;
    }

    public long latenessMicros() {
        return latenessMicros;
    }

    public Set<EventType> events() {
        return events;
    }

    public boolean accepts(final EventType type) {
        return (eventMask & type.bit()) != 0;
    }

    public int maxKeys() {
        return maxKeys;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** True when a metric is money (of amount): state and results are then per (key, currency). */
    public boolean money() {
        return money;
    }

    /** Panes (tumbling: windows) that can be live at once: {@code size/step + ceil(lateness/step) + 2}. */
    public int paneRingSize() {
        return (int) (sizeMicros / stepMicros + (latenessMicros + stepMicros - 1) / stepMicros + 2);
    }

    /**
     * True when the window takes payments and keys or counts {@code merchant}: a payment's is its
     * order's ({@link OrderMerchants}), and payments whose order's merchant is unknown are counted.
     */
    public boolean joinsMerchant() {
        if (!accepts(EventType.PAYMENT)) {
            return false;
        }
        if (key.contains(KeyField.MERCHANT)) {
            return true;
        }
        for (final Metric m : metrics) {
            if (m.field() == KeyField.MERCHANT) {
                return true;
            }
        }
        return false;
    }

    /** True when the metrics include {@code distinct(field)} ({@code field} as configuration writes it: user or userId). */
    public boolean hasDistinct(final String field) {
        final KeyField f = KeyField.fromConfig(field);
        for (final Metric m : metrics) {
            if (m.fn() == Metric.Fn.DISTINCT && f != null && m.field() == f) {
                return true;
            }
        }
        return false;
    }

    /** True when the key includes sku or category: orders then contribute once per item line. */
    public boolean itemLevelKey() {
        for (final KeyField f : key) {
            if (f.itemLevel()) {
                return true;
            }
        }
        return false;
    }

    /** Longest possible key text: the parts' field widths plus the '|' separators. */
    public int maxKeyTextLength() {
        int n = key.size() - 1;
        for (final KeyField f : key) {
            n += f.maxLength();
        }
        return n;
    }

    byte[] nameBytes() {
        return nameBytes;
    }

    @Override
    public String toString() {
        return name + "{" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + Durations.format(sizeMicros)
            + (kind == Kind.SLIDING ? "/" + Durations.format(stepMicros) : "") + " key=" + key + " metrics=" + metrics + "}";
    }
}
