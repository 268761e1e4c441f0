package io.ringfence.engine.fraud;

/**
 * One feature's part in a {@link LogisticModel}: the feature, how its raw value is transformed,
 * the training mean and standard deviation of the transformed value, and its weight on the
 * standardised value {@code z = (t(x) - mean) / std} (clipped to ±clip). A missing value counts
 * as the mean ({@code z = 0}, no contribution).
 */
public record ModelTerm(Feature feature, FeatureTransform transform, double mean, double std, double weight) {
    /** The standardised, clipped value of a raw value; 0 when the value is missing. */
    public double standardised(final double raw, final double clip) {
        if (Double.isNaN(raw)) {
            return 0.0;
        }
        final double z = (transform.apply(raw) - mean) * (1.0 / std);
        return z > clip ? clip : (z < -clip ? -clip : z);
    }
}
