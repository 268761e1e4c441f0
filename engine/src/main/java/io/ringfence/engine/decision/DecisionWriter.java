package io.ringfence.engine.decision;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.FraudAlertEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.SubjectKind;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the {@code Decision} answering one order or payment into the event's outputs and, when
 * the outcome is REVIEW or DECLINE, a {@code FraudAlert} push after it (for fraud-alert
 * subscribers; the sender gets the decision either way; none for a repeat of a decision already
 * alerted: {@code decisions.repeats}). Both carry the order: an order's own id,
 * a payment's {@code orderId} (NUL if it named none), and the user: a payment naming none carries its order's, as it
 * was judged by it (so a user's fraud-alert subscribers get it). The ids are copied as stored
 * (fixed-width, NUL-padded), so they come back byte for byte. Allocation-free: encoders reused.
 */
final class DecisionWriter {
    private static final int ID_LENGTH = DecisionEncoder.subjectIdLength();
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final DecisionEncoder encoder = new DecisionEncoder();
    private final FraudAlertEncoder alert = new FraudAlertEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    void order(final long seq, final long ingestTimeMicros, final OrderDecoder order, final DirectBuffer in,
               final int body, final Verdict verdict, final boolean alerts, final OutputBuffer out) {
        final int orderAt = body + OrderDecoder.orderIdEncodingOffset();
        write(seq, ingestTimeMicros, order.clientSeq(), order.eventTime(), SubjectKind.ORDER,
                in, orderAt, body + OrderDecoder.userIdEncodingOffset(), orderAt, verdict, alerts, out);
    }

    /** @param userIn where the user id is ({@code in} at the payment's own, or its order's: {@code DecisionStage}) */
    void payment(final long seq, final long ingestTimeMicros, final PaymentDecoder payment, final DirectBuffer in,
                 final int body, final DirectBuffer userIn, final int userAt, final Verdict verdict, final boolean alerts,
                 final OutputBuffer out) {
        write(seq, ingestTimeMicros, payment.clientSeq(), payment.eventTime(), SubjectKind.PAYMENT,
                in, body + PaymentDecoder.paymentIdEncodingOffset(), userIn, userAt,
                body + PaymentDecoder.orderIdEncodingOffset(), verdict, alerts, out);
    }

    private void write(final long seq, final long ingestTimeMicros, final long clientSeq, final long eventTime,
                       final SubjectKind kind, final DirectBuffer in, final int subjectAt, final int userAt,
                       final int orderAt, final Verdict verdict, final boolean alerts, final OutputBuffer out) {
        write(seq, ingestTimeMicros, clientSeq, eventTime, kind, in, subjectAt, in, userAt, orderAt, verdict, alerts, out);
    }

    private void write(final long seq, final long ingestTimeMicros, final long clientSeq, final long eventTime,
                       final SubjectKind kind, final DirectBuffer in, final int subjectAt, final DirectBuffer userIn,
                       final int userAt, final int orderAt, final Verdict verdict, final boolean alerts, final OutputBuffer out) {
        final int at = out.begin();
        final MutableDirectBuffer buffer = out.buffer();
        encoder.wrapAndApplyHeader(buffer, at, header)
                .seq(seq)
                .clientSeq(clientSeq)
                .eventTime(eventTime)
                .subjectKind(kind);
        buffer.putBytes(at + HEADER + DecisionEncoder.subjectIdEncodingOffset(), in, subjectAt, ID_LENGTH);
        buffer.putBytes(at + HEADER + DecisionEncoder.userIdEncodingOffset(), userIn, userAt, ID_LENGTH);
        encoder.outcome(verdict.outcome())
                .score(verdict.score())
                .ingestTime(ingestTimeMicros);
        buffer.putBytes(at + HEADER + DecisionEncoder.orderIdEncodingOffset(), in, orderAt, ID_LENGTH);
        final int reasons = verdict.reasonCount();
        final DecisionEncoder.ReasonsEncoder group = encoder.reasonsCount(reasons);
        for (int i = 0; i < reasons; i++) {
            group.next().putCode(verdict.reasonBytes(i), 0);
        }
        out.commit(at, HEADER + encoder.encodedLength());
        if (alerts && verdict.outcome() != Outcome.APPROVE) {
            alert(seq, eventTime, kind, in, subjectAt, userIn, userAt, orderAt, verdict, out);
        }
    }

    private void alert(final long seq, final long eventTime, final SubjectKind kind, final DirectBuffer in,
                       final int subjectAt, final DirectBuffer userIn, final int userAt, final int orderAt,
                       final Verdict verdict, final OutputBuffer out) {
        final int at = out.begin();
        final MutableDirectBuffer buffer = out.buffer();
        alert.wrapAndApplyHeader(buffer, at, header)
                .seq(seq)
                .eventTime(eventTime)
                .subjectKind(kind);
        buffer.putBytes(at + HEADER + FraudAlertEncoder.subjectIdEncodingOffset(), in, subjectAt, ID_LENGTH);
        buffer.putBytes(at + HEADER + FraudAlertEncoder.userIdEncodingOffset(), userIn, userAt, ID_LENGTH);
        alert.outcome(verdict.outcome()).score(verdict.score());
        buffer.putBytes(at + HEADER + FraudAlertEncoder.orderIdEncodingOffset(), in, orderAt, ID_LENGTH);
        final int reasons = verdict.reasonCount();
        final FraudAlertEncoder.ReasonsEncoder group = alert.reasonsCount(reasons);
        for (int i = 0; i < reasons; i++) {
            group.next().putCode(verdict.reasonBytes(i), 0);
        }
        out.commit(at, HEADER + alert.encodedLength());
    }
}
