package io.ringfence.engine.decision;

import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

/**
 * Answers every accepted order and payment with a {@code Decision} (DESIGN §2: the sender gets a
 * decision correlated by its client sequence and carrying the engine sequence). The verdict is the
 * fraud scorer's ({@link FraudScorer}: features, rules, lists, model); every event, decided or
 * not, goes through the scorer first so its feature state sees it. With {@code fraud.enabled:
 * false} every order and payment is approved with score 0 and no reasons.
 */
public final class DecisionStage {
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final DecisionWriter writer = new DecisionWriter();
    private final Verdict verdict = new Verdict();
    private final FraudScorer scorer;
    private final ScoreListener listener;
    private OrderVerdictAmendment amendment;
    private long decided;

    public DecisionStage(final FraudScorer scorer) {
        this(scorer, null);
    }

    /** @param listener sees every scored order and payment (tools only), or null */
    public DecisionStage(final FraudScorer scorer, final ScoreListener listener) {
        this.scorer = scorer;
        this.listener = listener;
    }

    /** Lets another business rule amend each order's verdict before it is written (inventory: OVERSELL). */
    public void amendOrdersWith(final OrderVerdictAmendment amendment) {
        this.amendment = amendment;
    }

    /** Writes the decision for the event at {@code offset} if it is an order or a payment. */
    public void onEvent(final long seq, final long ingestTimeMicros, final DirectBuffer buffer, final int offset,
                        final OutputBuffer out) {
        final boolean scored = scorer.onEvent(buffer, offset, verdict);
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, header.blockLength(), header.version());
                if (amendment != null) {
                    amendment.amend(verdict);
                }
                writer.order(seq, ingestTimeMicros, order, buffer, body, verdict, out);
                decided++;
                break;
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, body, header.blockLength(), header.version());
                writer.payment(seq, ingestTimeMicros, payment, buffer, body, verdict, out);
                decided++;
                if (!scored && listener != null) {
                    listener.onPaymentNotScored(seq, buffer, offset); // a refund or chargeback, or fraud off
                }
                break;
            default:
                break;
        }
        // after any amendment (inventory's OVERSELL): the listener sees the decision that was sent (explain
        // showed the verdict before it, so an order held for OVERSELL was explained as approved)
        if (scored && listener != null) {
            listener.onScored(seq, buffer, offset, scorer, verdict);
        }
    }

    /** The verdict of the last order or payment (valid until the next event). */
    public Verdict lastVerdict() {
        return verdict;
    }

    /** Decisions written so far. */
    public long decided() {
        return decided;
    }

    /** Snapshot restore: the decisions written before the snapshot's sequence. */
    public void restoreDecided(final long count) {
        decided = count;
    }
}
