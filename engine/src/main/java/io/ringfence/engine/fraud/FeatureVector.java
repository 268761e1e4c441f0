package io.ringfence.engine.fraud;

import java.util.Arrays;

/**
 * The values of every {@link Feature} for one scored event, indexed by {@link Feature#ordinal()},
 * then those of the rule set's window terms ({@link RuleSet#windowTerms()}) from
 * {@link Feature#COUNT} on. {@link Double#NaN} means missing (see {@link Feature}). Mutable and
 * reused: the scorer owns one and refills it for every order and payment.
 */
public final class FeatureVector {
    final double[] values;

    public FeatureVector() {
        this(0);
    }

    /** @param windowTerms slots for window terms after the features */
    public FeatureVector(final int windowTerms) {
        values = new double[Feature.COUNT + windowTerms];
        clear();
    }

    /** Window terms held after the features. */
    public int windowTerms() {
        return values.length - Feature.COUNT;
    }

    /** The value of window term {@code i} ({@link RuleSet#windowTerms()}), NaN when missing. */
    public double windowTerm(final int i) {
        return values[Feature.COUNT + i];
    }

    /** Every feature missing. */
    public void clear() {
        Arrays.fill(values, Double.NaN);
    }

    public double get(final Feature f) {
        return values[f.ordinal()];
    }

    public double get(final int index) {
        return values[index];
    }

    public boolean missing(final Feature f) {
        return Double.isNaN(values[f.ordinal()]);
    }

    public void set(final Feature f, final double value) {
        values[f.ordinal()] = value;
    }

    /** Copies the features' values (not the window terms') into {@code to} (at least {@link Feature#COUNT} long). */
    public void copyTo(final double[] to) {
        copyTo(to, 0);
    }

    /** Copies the features' values (not the window terms') into {@code to} from {@code at}. */
    public void copyTo(final double[] to, final int at) {
        System.arraycopy(values, 0, to, at, Feature.COUNT);
    }

    /** {@code name=value} pairs in index order, missing as {@code NaN} (tests, logs; allocates). */
    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Feature.COUNT; i++) {
            sb.append(i == 0 ? "" : ", ").append(Feature.at(i).featureName()).append('=').append(values[i]);
        }
        for (int i = Feature.COUNT; i < values.length; i++) {
            sb.append(", term ").append(i - Feature.COUNT).append('=').append(values[i]);
        }
        return sb.toString();
    }
}
