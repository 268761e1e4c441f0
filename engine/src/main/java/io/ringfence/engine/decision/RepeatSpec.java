package io.ringfence.engine.decision;

/**
 * Validated {@code decisions:} settings ({@link DecisionsConfig#validate}): whether an order or
 * payment sent again under its id is answered with its first decision, for how long (event time,
 * microseconds) and for how many ids at most.
 */
public record RepeatSpec(boolean answerFirst, long rememberForMicros, int maxRemembered) {
    /** The defaults of {@link DecisionsConfig}. */
    public static RepeatSpec defaults() {
        return new DecisionsConfig().validate("decisions");
    }

    /** Every order and payment decided afresh, as before this setting existed. */
    public static RepeatSpec off() {
        return new RepeatSpec(false, 0, 1);
    }
}
