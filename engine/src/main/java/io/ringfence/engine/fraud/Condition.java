package io.ringfence.engine.fraud;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One threshold test of a rule, {@code feature op number} with op one of {@code > >= < <=}, where
 * the left side is a built-in {@link Feature} or a configured sliding window's metric
 * ({@link WindowTerm}, {@code NAME.count}). A missing value ({@code NaN}) fails every condition
 * (IEEE comparisons with NaN are false).
 */
public final class Condition {
    private static final Pattern SYNTAX = Pattern.compile(
        "\\s*([A-Za-z0-9_.\\-]+(?:\\(\\s*[A-Za-z_]+\\s*\\))?)\\s*(>=|<=|>|<)\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

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
    /** The window term of the left side, null for a feature. */
    private final WindowTerm term;
    /** Where the value is in the scorer's vector: the feature's ordinal, or the term's slot ({@link RuleSet}). */
    private int index;
    private final Op op;
    private final double threshold;

    public Condition(final Feature feature, final Op op, final double threshold) {
        this.feature = feature;
        this.term = null;
        this.index = feature.ordinal();
        this.op = op;
        this.threshold = threshold;
    }

    /** A condition on a window term; its slot is given by the {@link RuleSet} that holds it. */
    public Condition(final WindowTerm term, final Op op, final double threshold) {
        this.feature = null;
        this.term = term;
        this.index = -1;
        this.op = op;
        this.threshold = threshold;
    }

    /** The rule set's slot for this condition's window term (once, when the rule set is built). */
    void slot(final int at) {
        if (term == null || index >= 0 && index != at) {
            throw new IllegalStateException(this + " has its slot already (" + index + "), or is not a window term");
        }
        index = at;
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
        final double threshold = Double.parseDouble(m.group(3));
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("has a threshold that is not a finite number");
        }
        if (WindowTerm.looksLikeOne(m.group(1))) {
            return new Condition(WindowTerm.parse(m.group(1)), Op.of(m.group(2)), threshold);
        }
        final Feature f = Feature.byName(m.group(1));
        if (f == null) {
            throw new IllegalArgumentException("names no feature '" + m.group(1) + "' (features: " + Feature.names()
                + "; or WINDOW.METRIC of a sliding window, e.g. user_velocity_1h.count)");
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

    /** @throws IllegalStateException for a window term not in a {@link RuleSet} yet (it has no slot in a vector) */
    public boolean holds(final FeatureVector v) {
        if (index < 0 || index >= v.values.length) {
            throw new IllegalStateException(this + ": " + (index < 0 ? "a window term outside a rule set has no value"
                : "the vector holds no value for it (a vector of the rule set's scorer does)"));
        }
        return holds(v.values);
    }

    /** The feature compared, or null for a window term. */
    public Feature feature() {
        return feature;
    }

    /** The window term compared, or null for a feature. */
    public WindowTerm term() {
        return term;
    }

    public Op op() {
        return op;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public String toString() {
        return (feature != null ? feature.featureName() : term.text()) + " " + op.symbol + " " + threshold;
    }
}
