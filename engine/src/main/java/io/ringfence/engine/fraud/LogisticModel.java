package io.ringfence.engine.fraud;

import java.util.List;

/**
 * Logistic regression over standardised features (DESIGN §6):
 * {@code score = 1 / (1 + exp(-(intercept + Σ weight·z)))} with
 * {@code z = clip((transform(x) - mean) / std)} per {@link ModelTerm}. Each term's
 * {@code weight·z} is that feature's contribution to the log-odds, which is what {@code explain}
 * and the model's reason codes show. Immutable; {@link #score} allocates nothing and uses only
 * {@link StrictMath}, so the same vector gives the same bits on every run and every replay.
 */
public final class LogisticModel implements FraudModel {
    private final String id;
    private final double intercept;
    private final double clip;
    private final List<ModelTerm> terms;
    private final int[] index;
    private final boolean[] log1p;
    private final double[] mean;
    private final double[] invStd;
    private final double[] weight;

    /**
     * @param id        identifier of these weights (the model file's {@code id})
     * @param intercept the log-odds of an order whose every feature is at its training mean
     * @param clip      bound on |z| so an extreme value cannot dominate (e.g. 6)
     * @param terms     the features used, each at most once
     */
    public LogisticModel(final String id, final double intercept, final double clip, final List<ModelTerm> terms) {
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("intercept must be finite: " + intercept);
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip must be a positive finite number: " + clip);
        }
        this.id = id;
        this.intercept = intercept;
        this.clip = clip;
        this.terms = List.copyOf(terms);
        final int n = this.terms.size();
        index = new int[n];
        log1p = new boolean[n];
        mean = new double[n];
        invStd = new double[n];
        weight = new double[n];
        final boolean[] seen = new boolean[Feature.COUNT];
        for (int i = 0; i < n; i++) {
            final ModelTerm t = this.terms.get(i);
            if (seen[t.feature().ordinal()]) {
                throw new IllegalArgumentException("feature " + t.feature().featureName() + " appears twice");
            }
            seen[t.feature().ordinal()] = true;
            if (!Double.isFinite(t.mean()) || !(t.std() > 0) || !Double.isFinite(t.std()) || !Double.isFinite(t.weight())) {
                throw new IllegalArgumentException("feature " + t.feature().featureName()
                        + ": mean and weight must be finite and std a positive finite number");
            }
            if (!Double.isFinite(1.0 / t.std())) { // review: 1/1e-310 is infinite, and 0 x infinity a NaN score: approved
                throw new IllegalArgumentException("feature " + t.feature().featureName() + ": std " + t.std()
                        + " is too small to divide by (a trained std is never below 1e-300)");
            }
            index[i] = t.feature().ordinal();
            log1p[i] = t.transform() == FeatureTransform.LOG1P;
            mean[i] = t.mean();
            invStd[i] = 1.0 / t.std();
            weight[i] = t.weight();
        }
        double largest = Math.abs(intercept); // the largest |log-odds| any order can have
        for (final ModelTerm t : terms) {
            largest += clip * Math.abs(t.weight());
        }
        if (!Double.isFinite(largest)) {
            // +inf and -inf contributions would add up to NaN log-odds, a score of NaN read as 0: approved
            throw new IllegalArgumentException("weights too large: |intercept| + clip x the sum of |weight| overflows a double,"
                    + " so an order's log-odds could be NaN (a trained model's are a few dozen at most)");
        }
    }

    @Override
    public double score(final FeatureVector features, final double[] contributions) {
        java.util.Arrays.fill(contributions, 0.0);
        final double[] v = features.values;
        double logit = intercept;
        for (int i = 0; i < index.length; i++) {
            final double raw = v[index[i]];
            if (Double.isNaN(raw)) {
                continue;
            }
            double z = ((log1p[i] ? FeatureTransform.log1p(raw) : raw) - mean[i]) * invStd[i];
            z = z > clip ? clip : (z < -clip ? -clip : z);
            final double c = weight[i] * z;
            contributions[index[i]] = c;
            logit += c;
        }
        return probability(logit);
    }

    /** The logistic function, deterministic. */
    public static double probability(final double logit) {
        return 1.0 / (1.0 + StrictMath.exp(-logit));
    }

    @Override
    public String id() {
        return id;
    }

    public double intercept() {
        return intercept;
    }

    public double clip() {
        return clip;
    }

    /** The terms in file order. */
    public List<ModelTerm> terms() {
        return terms;
    }
}
