package io.ringfence.engine.fraud;

/**
 * The validated {@code fraud:} configuration: whether scoring runs, the feature state settings
 * and the rule set. Built by {@link FraudConfig#validate(String)}.
 */
public record FraudSpec(boolean enabled, FeatureSettings features, RuleSet rules) {
    /** Scoring off: every order and payment approved with score 0 and no reasons. */
    public static FraudSpec disabled() {
        return new FraudSpec(false, FeatureSettings.defaults(), RuleSet.NONE);
    }
}
