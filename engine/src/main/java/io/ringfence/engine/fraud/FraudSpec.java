package io.ringfence.engine.fraud;

/**
 * The validated {@code fraud:} configuration: whether scoring runs, the feature state settings,
 * the rule set and the model ({@link FraudModel#NONE} without {@code fraud.model}). Built by
 * {@link FraudConfig#validate(String)}.
 */
public record FraudSpec(boolean enabled, FeatureSettings features, RuleSet rules, FraudModel model) {
    /** Without a model. */
    public FraudSpec(final boolean enabled, final FeatureSettings features, final RuleSet rules) {
        this(enabled, features, rules, FraudModel.NONE);
    }

    /** Scoring off: every order and payment approved with score 0 and no reasons. */
    public static FraudSpec disabled() {
        return new FraudSpec(false, FeatureSettings.defaults(), RuleSet.NONE);
    }

    /** The same with another model (what-if, evaluate). */
    public FraudSpec withModel(final FraudModel other) {
        return new FraudSpec(enabled, features, rules, other);
    }
}
