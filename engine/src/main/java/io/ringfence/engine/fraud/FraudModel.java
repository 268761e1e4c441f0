package io.ringfence.engine.fraud;

/**
 * Where a trained model plugs into scoring (DESIGN §6: a logistic regression whose weights come
 * from a file written by {@code ringfence train}). The rule set adds its rules' score additions to
 * the model's score and clamps the sum to [0, 1].
 *
 * <p>Implementations run on the business thread for every order and payment: deterministic (the
 * same vector gives the same bits on every run: no wall clock, no randomness; prefer
 * {@link StrictMath}), allocation-free, and reading missing features ({@code NaN}) as their
 * documented meaning rather than propagating NaN.
 */
@FunctionalInterface
public interface FraudModel {
    /** No model: contributes 0, so the score is the rules' additions alone. */
    FraudModel NONE = features -> 0.0;

    /** The model's fraud probability for a feature vector, in [0, 1]. */
    double score(FeatureVector features);
}
