package io.ringfence.engine.window;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.WindowResultEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured metric of a window, parsed from text such as {@code sum(amount)},
 * {@code distinct(userId)}, {@code topk(sku, 10)} or {@code count(failed)}. Immutable.
 *
 * <p>Output names: {@code sum min max mean stddev} for amount; for every other field the function
 * followed by the capitalised field name: {@code sumQty}, {@code meanQty}, {@code distinctUserId},
 * {@code topkSku}. {@code count} is the top-level {@code count} field of the result, not a group entry.
 */
public final class Metric {
    /** What a metric computes. */
    public enum Fn { COUNT, SUM, MIN, MAX, MEAN, STDDEV, DISTINCT, TOPK }

    /** Numeric event values the aggregate functions apply to. */
    public enum Numeric {
        /** Money: order amount, payment amount, or qty × unitPrice of one item line. */
        AMOUNT,
        /** Item quantity: one line's qty, or the sum over an order's lines. */
        QTY
    }

    public static final int MAX_TOPK = 100;
    /** The most counters a {@code topk} may keep ({@code topk(sku, 5, 4096)}); the default is 4k. */
    public static final int MAX_TOPK_COUNTERS = 4096;

    /**
     * The events a {@code count(subset)} counts (a subset of the window's contributions). Payment
     * results are read from the event; decisions are the engine's own verdict on the same event
     * (the business stage hands it to the windows right after deciding, see
     * {@link WindowAggregator#onDecided}).
     */
    public enum Subset {
        /** Payment attempts: result AUTHORIZED, DECLINED or FAILED (CAPTURED, REFUNDED, CHARGEBACK are later steps). */
        ATTEMPTS("attempts", true),
        /** Failed payment attempts: result DECLINED (refused) or FAILED (technical failure). */
        FAILED("failed", true),
        /** Orders and payments the engine decided DECLINE. */
        DECLINED("declined", false),
        /** Orders and payments the engine decided REVIEW or DECLINE (held back from automatic approval). */
        HELD("held", false);

        private final String text;
        private final boolean paymentResult;

        Subset(final String text, final boolean paymentResult) {
            this.text = text;
            this.paymentResult = paymentResult;
        }

        /** The configuration word, e.g. {@code failed}. */
        public String text() {
            return text;
        }

        /** True when the payment's own result decides membership; false when the engine's decision does. */
        public boolean byPaymentResult() {
            return paymentResult;
        }

        static Subset fromConfig(final String text) {
            for (final Subset s : values()) {
                if (s.text.equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }

    private static final Pattern SYNTAX =
        Pattern.compile("\\s*([A-Za-z]+)\\s*(?:\\(\\s*([^,()]*?)\\s*(?:,\\s*([^,()]*?)\\s*)?(?:,\\s*([^,()]*?)\\s*)?\\))?\\s*");

    private final Fn fn;
    private final Numeric numeric;
    private final KeyField field;
    private final int k;
    /** Space-Saving counters of a topk (4k unless configured), else 0. */
    private final int counters;
    private final Subset subset;
    private final String outputName;
    private final byte[] outputNameBytes;

    private Metric(final Fn fn, final Numeric numeric, final KeyField field, final int k) {
        this(fn, numeric, field, k, null, 4 * k);
    }

    private Metric(final Fn fn, final Numeric numeric, final KeyField field, final int k, final Subset subset) {
        this(fn, numeric, field, k, subset, 4 * k);
    }

    private Metric(final Fn fn, final Numeric numeric, final KeyField field, final int k, final Subset subset, final int counters) {
        this.fn = fn;
        this.numeric = numeric;
        this.field = field;
        this.k = k;
        this.counters = counters;
        this.subset = subset;
        this.outputName = subset == null ? nameOf(fn, numeric, field)
            : "count" + Character.toUpperCase(subset.text().charAt(0)) + subset.text().substring(1);
        this.outputNameBytes = Arrays.copyOf(outputName.getBytes(StandardCharsets.UTF_8), WindowResultEncoder.windowLength());
    }

    /**
     * Parses one metric.
     *
     * @param path configuration path of the entry, for errors ({@code windows[0].metrics[2]})
     * @throws ConfigException naming the path, the text and the problem
     */
    public static Metric parse(final String path, final String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(path, text, "is empty; use count, sum(amount), min(qty), distinct(userId), topk(sku, 10), ...");
        }
        final Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(path, text, "is not a metric; use count, sum(amount), min(qty), distinct(userId), topk(sku, 10), ...");
        }
        final String fnName = m.group(1);
        final String arg = m.group(2);
        final String arg2 = m.group(3);
        final String arg3 = m.group(4);
        final Fn fn;
        try {
            fn = Fn.valueOf(fnName.toUpperCase(java.util.Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(path, text, "has unknown metric '" + fnName + "' (known: count, sum, min, max, mean, stddev, distinct, topk)");
        }
        if (arg3 != null && fn != Fn.TOPK) {
            throw new ConfigException(path, text, "has a third argument; only topk takes one: topk(sku, 10, 200)");
        }
        switch (fn) {
            case COUNT: {
                if (arg == null) {
                    return new Metric(fn, null, null, 0);
                }
                final Subset subset = arg2 == null ? Subset.fromConfig(arg) : null;
                if (subset == null) {
                    throw new ConfigException(path, text, "counts an unknown subset: write count, or count(s) with s one of "
                        + "attempts, failed (payments), declined, held (decided orders and payments)");
                }
                return new Metric(fn, null, null, 0, subset);
            }
            case SUM:
            case MIN:
            case MAX:
            case MEAN:
            case STDDEV: {
                if (arg2 != null || arg == null || arg.isEmpty()) {
                    throw new ConfigException(path, text, "needs one numeric field: " + fnName + "(amount) or " + fnName + "(qty)");
                }
                final Numeric numeric;
                if (arg.equals("amount")) {
                    numeric = Numeric.AMOUNT;
                } else if (arg.equals("qty")) {
                    numeric = Numeric.QTY;
                } else {
                    throw new ConfigException(path, text, "has unknown numeric field '" + arg + "' (known: amount, qty)");
                }
                return new Metric(fn, numeric, null, 0);
            }
            case DISTINCT: {
                if (arg2 != null || arg == null || arg.isEmpty()) {
                    throw new ConfigException(path, text, "needs one id field: distinct(userId)");
                }
                return new Metric(fn, null, idField(path, text, arg), 0);
            }
            default: {
                if (arg == null || arg.isEmpty() || arg2 == null) {
                    throw new ConfigException(path, text, "needs an id field and a size: topk(sku, 10)");
                }
                final KeyField field = idField(path, text, arg);
                if (field.maxLength() > io.ringfence.engine.model.Ids.MAX_ID_BYTES) {
                    throw new ConfigException(path, text, "cannot report " + arg + " values: they are longer than the 36-byte item field of WindowResult");
                }
                final int k;
                try {
                    k = Integer.parseInt(arg2);
                } catch (final NumberFormatException e) {
                    throw new ConfigException(path, text, "has a size '" + arg2 + "' that is not a whole number (1.." + MAX_TOPK + ")");
                }
                if (k < 1 || k > MAX_TOPK) {
                    throw new ConfigException(path, text, "has k = " + k + " outside 1.." + MAX_TOPK);
                }
                if (arg3 == null) {
                    return new Metric(fn, null, field, k);
                }
                final int counters;
                try {
                    counters = Integer.parseInt(arg3);
                } catch (final NumberFormatException e) {
                    throw new ConfigException(path, text, "has counters '" + arg3 + "' that is not a whole number (" + k + ".."
                        + MAX_TOPK_COUNTERS + ")");
                }
                if (counters < k || counters > MAX_TOPK_COUNTERS) {
                    throw new ConfigException(path, text, "has " + counters + " counters, outside k.." + MAX_TOPK_COUNTERS + " ("
                        + k + ".." + MAX_TOPK_COUNTERS + "; default 4k = " + 4 * k + ")");
                }
                return new Metric(fn, null, field, k, null, counters);
            }
        }
    }

    private static KeyField idField(final String path, final String text, final String arg) {
        final KeyField f = KeyField.fromConfig(arg);
        if (f == null) {
            throw new ConfigException(path, text, "has unknown id field '" + arg + "' (known: " + KeyField.allNames(false) + ")");
        }
        return f;
    }

    private static String nameOf(final Fn fn, final Numeric numeric, final KeyField field) {
        final String f = fn.name().toLowerCase(java.util.Locale.ROOT);
        if (fn == Fn.COUNT) {
            return "count";
        }
        if (numeric == Numeric.AMOUNT) {
            return f;
        }
        if (numeric == Numeric.QTY) {
            return f + "Qty";
        }
        final String n = field.fieldName();
        return f + Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    public Fn fn() {
        return fn;
    }

    /** The numeric field of sum/min/max/mean/stddev, else null. */
    public Numeric numeric() {
        return numeric;
    }

    /** The id field of distinct/topk, else null. */
    public KeyField field() {
        return field;
    }

    /** k of topk, else 0. */
    public int k() {
        return k;
    }

    /** The Space-Saving counters of topk (4k unless configured), else 0. */
    public int counters() {
        return fn == Fn.TOPK ? counters : 0;
    }

    /** The subset of {@code count(subset)}, else null (also for plain {@code count}). */
    public Subset subset() {
        return subset;
    }

    /** Name in WindowResult ({@code sum}, {@code sumQty}, {@code distinctUserId}, {@code topkSku}). */
    public String outputName() {
        return outputName;
    }

    /** True for sum/min/max/mean/stddev of amount: state is then kept per currency. */
    public boolean isMoney() {
        return numeric == Numeric.AMOUNT;
    }

    /** How the value is carried in the WindowResult metrics group (see {@link WindowResultPublisher}). */
    public MetricKind kind() {
        switch (fn) {
            case STDDEV:
            case MEAN:
                return numeric == Numeric.AMOUNT ? MetricKind.MONEY : MetricKind.NUMBER;
            case SUM:
            case MIN:
            case MAX:
                return numeric == Numeric.AMOUNT ? MetricKind.MONEY : MetricKind.COUNT;
            default:
                return MetricKind.COUNT;
        }
    }

    byte[] outputNameBytes() {
        return outputNameBytes;
    }

    @Override
    public String toString() {
        switch (fn) {
            case COUNT: return subset == null ? "count" : "count(" + subset.text() + ")";
            case DISTINCT: return "distinct(" + field.fieldName() + ")";
            case TOPK: return "topk(" + field.fieldName() + ", " + k + (counters == 4 * k ? "" : ", " + counters) + ")";
            default: return fn.name().toLowerCase(java.util.Locale.ROOT) + "(" + numeric.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }
}
