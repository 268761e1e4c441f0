package io.ringfence.engine.fraud;

/**
 * What the rules found for one event: allow or deny list matches and the rules that fired, in
 * precedence order. Reused per event (the scorer owns one); {@code explain} will read the same.
 */
public final class RuleHits {
    boolean allowed;
    boolean denied;
    int[] fired = new int[0];
    int firedCount;

    void reset(final int rules) {
        if (fired.length < rules) {
            fired = new int[rules];
        }
        allowed = false;
        denied = false;
        firedCount = 0;
    }

    public boolean allowed() {
        return allowed;
    }

    public boolean denied() {
        return denied;
    }

    /** Number of rules that fired. */
    public int firedCount() {
        return firedCount;
    }

    /** The i-th fired rule's position in {@link RuleSet#rules()} (precedence order). */
    public int fired(final int i) {
        return fired[i];
    }
}
