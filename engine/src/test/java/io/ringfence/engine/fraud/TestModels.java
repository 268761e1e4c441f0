package io.ringfence.engine.fraud;

import java.util.ArrayList;
import java.util.List;

/** Models for scoring tests. */
final class TestModels {
    private TestModels() {
    }

    /**
     * A model over every one of the {@link Feature#COUNT} features, each with its default transform,
     * tuned so that normal {@link ShopTraffic} with a heavy amount now and then gives some REVIEW
     * and DECLINE decisions with {@code f:} reasons: amount (log1p, mean 8.5, std 1, weight 1.2),
     * seconds since signup pulls down (-0.3), z-score and fail ratios push up, every other feature
     * 0.03 on (t(x) - 0) / 1.
     */
    static LogisticModel everyFeature() {
        final List<ModelTerm> terms = new ArrayList<>();
        for (int i = 0; i < Feature.COUNT; i++) {
            final Feature f = Feature.at(i);
            final FeatureTransform t = FeatureTransform.defaultFor(f);
            switch (f) {
                case AMOUNT -> terms.add(new ModelTerm(f, t, 8.5, 1.0, 1.2));
                case SECONDS_SINCE_SIGNUP -> terms.add(new ModelTerm(f, t, 10.0, 2.0, -0.3));
                case USER_AMOUNT_ZSCORE -> terms.add(new ModelTerm(f, t, 0.0, 1.0, 0.6));
                case USER_FAIL_RATIO, INSTRUMENT_FAIL_RATIO -> terms.add(new ModelTerm(f, t, 0.06, 0.05, 0.4));
                case USER_PRIOR_ORDERS -> terms.add(new ModelTerm(f, t, 1.0, 1.0, -0.2));
                default -> terms.add(new ModelTerm(f, t, 0.0, 1.0, 0.03));
            }
        }
        return ModelFile.model(-2.8, 6.0, terms);
    }
}
