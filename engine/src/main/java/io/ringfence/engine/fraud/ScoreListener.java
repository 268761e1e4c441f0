package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;
import org.agrona.DirectBuffer;

/**
 * Sees every scored order and payment on the business thread, right after its verdict: what
 * {@code train}, {@code evaluate} and {@code explain} use to watch the real engine score. The
 * scorer's {@code last*} views are valid only during the call; copy what you keep. Not for the
 * live path: a listener runs inside the pipeline's business stage and adds its cost to every order.
 */
@FunctionalInterface
public interface ScoreListener {
    /**
     * @param sequence the event's engine sequence
     * @param buffer   the event (SBE, message header at {@code offset})
     * @param scorer   its features ({@link FraudScorer#lastFeatures()}), rule hits, model score and
     *                 contributions
     * @param verdict  the decision it got
     */
    void onScored(long sequence, DirectBuffer buffer, int offset, FraudScorer scorer, Verdict verdict);

    /**
     * A payment that got a decision without being scored: a refund or chargeback (money going back is
     * not scored), or any payment with fraud off. {@code train} and {@code evaluate} count the labelled ones.
     */
    default void onPaymentNotScored(long sequence, DirectBuffer buffer, int offset) {
    }

    /**
     * An order or payment answered with the decision of the same one sent before ({@code decisions.repeats: first}),
     * not scored: {@code verdict} is what it was sent (the first's outcome and score, reason REPEATED_ID).
     *
     * @param firstSequence the engine sequence of the decision it repeats
     */
    default void onRepeat(long sequence, long firstSequence, DirectBuffer buffer, int offset, Verdict verdict) {
    }

    /**
     * Before {@link #onScored} of an order or payment whose id (and a payment's result) was decided within
     * {@code decisions.rememberFor} for other content: it is scored as new and carries the reason ID_REUSED.
     *
     * @param firstSequence the engine sequence of the decision remembered for that id
     */
    default void onIdReused(long sequence, long firstSequence) {
    }
}
