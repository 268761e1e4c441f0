package io.ringfence.engine.fraud;

/**
 * Where a trained model plugs into scoring (DESIGN §6): today a {@link LogisticModel} read from
 * the JSON file {@code ringfence train} writes ({@link ModelFile}). The rule set adds its rules'
 * score additions to the model's score and clamps the sum to [0, 1].
 *
 * <p>Implementations run on the business thread for every order and payment: deterministic (the
 * same vector gives the same bits on every run: no wall clock, no randomness; {@link StrictMath}),
 * allocation-free, and reading missing features ({@code NaN}) as their documented meaning rather
 * than propagating NaN.
 */
public interface FraudModel {
    /** No model: contributes 0, so the score is the rules' additions alone. */
    FraudModel NONE = new FraudModel() {
        @Override
        public double score(final FeatureVector features, final double[] contributions) {
            java.util.Arrays.fill(contributions, 0.0);
            return 0.0;
        }

        @Override
        public String id() {
            return "none";
        }
    };

    /**
     * The model's fraud probability for a feature vector, in [0, 1].
     *
     * @param contributions filled with each feature's additive contribution to the score's
     *                      log-odds, indexed like the vector (0 for a feature the model does not use
     *                      or that is missing); at least {@link Feature#COUNT} long
     */
    double score(FeatureVector features, double[] contributions);

    /** A short identifier that changes whenever the weights do ({@code none} without a model). */
    String id();

    /** Whether this is a real model rather than {@link #NONE}. */
    default boolean present() {
        return this != NONE;
    }
}
