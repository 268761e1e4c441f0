package io.ringfence.engine.fraud;

import org.agrona.DirectBuffer;

/**
 * Fills the values of a rule set's {@link WindowTerm}s for one scored event, on the business
 * thread, after the windows have taken the event and before the rules are evaluated. The engine
 * supplies one backed by its sliding windows. Allocation-free.
 */
@FunctionalInterface
public interface WindowTermSource {
    /**
     * @param buffer        the scored event (SBE, message header at {@code offset})
     * @param eventTime     its event time, microseconds
     * @param values        where term {@code i} of {@link RuleSet#windowTerms()} goes, at {@code from + i};
     *                      {@link Double#NaN} when the event has no key in that window (a missing value fails every condition)
     */
    void fill(DirectBuffer buffer, int offset, long eventTime, double[] values, int from);
}
