package io.ringfence.engine.fraud;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One threshold test of a rule, {@code feature op number} with op one of {@code > >= < <=}. A
 * missing feature ({@code NaN}) fails every condition (IEEE comparisons with NaN are false).
 */
public final class Condition {
    private static final Pattern SYNTAX = Pattern.compile(
        "\\s*([A-Za-z][A-Za-z0-9_]*)\\s*(>=|<=|>|<)\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    /** Comparison operators. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<=");

        private final String symbol;

        Op(final String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Op of(final String symbol) {
            for (final Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    private final Feature feature;
    private final int index;
    private final Op op;
    private final double threshold;

    public Condition(final Feature feature, final Op op, final double threshold) {
        this.feature = feature;
        this.index = feature.ordinal();
        this.op = op;
        this.threshold = threshold;
    }

    /**
     * Parses {@code feature op number}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static Condition parse(final String text) {
        if (text == null) {
            throw new IllegalArgumentException("is missing (write: feature op number, e.g. user_orders_1h >= 10)");
        }
        final Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a condition (write: feature op number with op one of > >= < <=, "
                + "e.g. user_orders_1h >= 10)");
        }
        final Feature f = Feature.byName(m.group(1));
        if (f == null) {
            throw new IllegalArgumentException("names no feature '" + m.group(1) + "' (features: " + Feature.names() + ")");
        }
        final double threshold = Double.parseDouble(m.group(3));
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("has a threshold that is not a finite number");
        }
        return new Condition(f, Op.of(m.group(2)), threshold);
    }

    /** True when the condition holds for the vector's values. */
    boolean holds(final double[] v) {
        final double x = v[index];
        switch (op) {
            case GT: return x > threshold;
            case GE: return x >= threshold;
            case LT: return x < threshold;
            default: return x <= threshold;
        }
    }

    public boolean holds(final FeatureVector v) {
        return holds(v.values);
    }

    public Feature feature() {
        return feature;
    }

    public Op op() {
        return op;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public String toString() {
        return feature.featureName() + " " + op.symbol + " " + threshold;
    }
}
