package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;

import java.util.List;

/**
 * One configured rule: conditions that must all hold, the event kinds it applies to, an action
 * and the reason code reported when it fires. Immutable.
 */
public final class Rule {
    /** What a rule does when it fires, strongest first (this is also the order of reasons). */
    public enum Action {
        DECLINE, REVIEW, APPROVE, ADD
    }

    private final String reason;
    private final byte[] reasonBytes;
    private final Condition[] conditions;
    private final boolean onOrders;
    private final boolean onPayments;
    private final Action action;
    private final double add;
    private final int configIndex;

    /**
     * @param reason      the reason code, 1..32 ASCII characters
     * @param conditions  all must hold (none: always fires)
     * @param onOrders    applies to orders
     * @param onPayments  applies to payments
     * @param action      what it does
     * @param add         the score addition of an {@link Action#ADD} rule (else ignored)
     * @param configIndex position in the configuration (ties in precedence)
     */
    public Rule(final String reason, final List<Condition> conditions, final boolean onOrders, final boolean onPayments,
                final Action action, final double add, final int configIndex) {
        this.reason = reason;
        this.reasonBytes = Verdict.code(reason);
        this.conditions = conditions.toArray(new Condition[0]);
        this.onOrders = onOrders;
        this.onPayments = onPayments;
        this.action = action;
        this.add = action == Action.ADD ? add : 0;
        this.configIndex = configIndex;
    }

    /** True when the rule applies to this kind of event and every condition holds. */
    boolean fires(final boolean payment, final double[] v) {
        if (payment ? !onPayments : !onOrders) {
            return false;
        }
        for (final Condition c : conditions) {
            if (!c.holds(v)) {
                return false;
            }
        }
        return true;
    }

    /** Precedence: stronger action first, larger additions first, then configuration order. */
    static int compare(final Rule a, final Rule b) {
        if (a.action != b.action) {
            return Integer.compare(a.action.ordinal(), b.action.ordinal());
        }
        if (a.add != b.add) {
            return Double.compare(b.add, a.add);
        }
        return Integer.compare(a.configIndex, b.configIndex);
    }

    public String reason() {
        return reason;
    }

    byte[] reasonBytes() {
        return reasonBytes;
    }

    public Action action() {
        return action;
    }

    public double add() {
        return add;
    }

    public List<Condition> conditions() {
        return List.of(conditions);
    }

    public boolean onOrders() {
        return onOrders;
    }

    public boolean onPayments() {
        return onPayments;
    }

    @Override
    public String toString() {
        return reason + " " + action + (action == Action.ADD ? " " + add : "") + " when " + List.of(conditions);
    }
}
