package io.ringfence.engine.decision;

import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.OrderParties;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.GroupSizeEncodingDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.DirectBuffer;

/**
 * Answers every accepted order and payment with a {@code Decision} (DESIGN §2: the sender gets a
 * decision correlated by its client sequence and carrying the engine sequence). The verdict is the
 * fraud scorer's ({@link FraudScorer}: features, rules, lists, model); every event, decided or
 * not, goes through the scorer first so its feature state sees it. With {@code fraud.enabled:
 * false} every order and payment is approved with score 0 and no fraud reasons (a repeat's REPEATED_ID aside).
 *
 * <p>Repeats ({@code decisions.repeats: first}, docs/fraud.md "Repeated orders and payments"): an
 * order, or a payment with the same result, sent again under an id decided within
 * {@code decisions.rememberFor} ({@link DecidedIds}), with the same content (every field but the
 * client sequence, event time and label, an order's item lines included; {@link ContentDigest}), is answered with the
 * first decision's outcome and score, reasons {@value #REPEATED_ID} and the first's first reason,
 * and is not scored: no feature, window or anomaly series counts it again ({@link #checkRepeat}
 * runs before them), and no second fraud alert is pushed. The same id with other content is decided as a new event and carries the
 * reason {@value #ID_REUSED}; the first stays the one remembered.
 */
public final class DecisionStage {
    /** Reason of a decision that repeats the first decision of the same order or payment. */
    public static final String REPEATED_ID = "REPEATED_ID";
    /** Reason of an order or payment whose id was decided before for other content (user, amount, ...). */
    public static final String ID_REUSED = "ID_REUSED";
    private static final byte[] REPEATED_ID_CODE = Verdict.code(REPEATED_ID);
    private static final byte[] ID_REUSED_CODE = Verdict.code(ID_REUSED);
    private static final int ID = Ids.MAX_ID_BYTES;
    private static final long ORDER_KEY = 0x4f52444552L; // "ORDER"
    private static final long PAYMENT_KEY = 0x5041594dL << 16; // "PAYM", the result below

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final DecisionWriter writer = new DecisionWriter();
    /** A payment's order's user and instrument ids, when the payment names no user ({@link OrderParties}). */
    private final org.agrona.concurrent.UnsafeBuffer parties =
            new org.agrona.concurrent.UnsafeBuffer(new byte[2 * PaymentDecoder.userIdLength()]);
    private OrderParties orders = OrderParties.NONE;
    private final Verdict verdict = new Verdict();
    private final FraudScorer scorer;
    private final ScoreListener listener;
    /** Decided orders and payments, or null with {@code decisions.repeats: again}. */
    private final DecidedIds ids;
    private final byte[] firstReason = new byte[Verdict.MAX_REASON_LENGTH];
    private final int maxRemembered;
    private OrderVerdictAmendment amendment;
    private long decided;
    /** This event's {@link #checkRepeat}: the entry it repeats ({@link DecidedIds#NONE} if none), or what to remember. */
    private int repeatOf = DecidedIds.NONE;
    private boolean remember;
    private boolean reused;
    /** With {@link #reused}: the sequence of the decision remembered for the id (for the listener). */
    private long reusedOf;
    private long pendingKey;
    private final ContentDigest content = new ContentDigest(512);
    private final GroupSizeEncodingDecoder group = new GroupSizeEncodingDecoder();
    private long pendingDigestHigh;
    private long pendingDigestLow;
    private long pendingTime;
    private long repeats;
    private long reusedIds;

    public DecisionStage(final FraudScorer scorer) {
        this(scorer, null);
    }

    /** @param listener sees every scored order and payment (tools only), or null */
    public DecisionStage(final FraudScorer scorer, final ScoreListener listener) {
        this(scorer, listener, RepeatSpec.off());
    }

    /**
     * @param listener sees every scored order and payment (tools only), or null
     * @param repeats  how an order or payment sent again is answered
     */
    public DecisionStage(final FraudScorer scorer, final ScoreListener listener, final RepeatSpec repeats) {
        this.scorer = scorer;
        this.listener = listener;
        this.ids = repeats.answerFirst() ? new DecidedIds(repeats) : null;
        this.maxRemembered = repeats.answerFirst() ? repeats.maxRemembered() : 0;
    }

    /**
     * Before any other stage sees the event: true when it is an order or payment that repeats one decided within
     * {@code decisions.rememberFor} (same key and content), which {@link #onEvent} then answers with that decision; the
     * other stages skip counting it. False for anything else (always with {@code repeats: again}).
     */
    public boolean checkRepeat(final DirectBuffer buffer, final int offset) {
        repeatOf = DecidedIds.NONE;
        remember = false;
        reused = false;
        if (ids == null) {
            return false;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != OrderDecoder.SCHEMA_ID) {
            return false;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final long id;
        final long key;
        final long time;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, header.blockLength(), header.version());
                id = Ids.hash(buffer, body + OrderDecoder.orderIdEncodingOffset(), ID);
                if (id == Ids.EMPTY) {
                    return false; // no id to know it by: not worth a digest
                }
                key = Ids.combine(id, ORDER_KEY);
                // every field but the client sequence, event time and label: user, merchant, amount, currency,
                // country, ip, device, card, channel (review: a resend with another card or device was taken for the
                // first and approved past the deny list), and the item lines (review: one with gift cards for socks
                // got the first approval past risky_items)
                content.add(buffer, body + OrderDecoder.orderIdEncodingOffset(), body + OrderDecoder.labelEncodingOffset());
                final int items = body + header.blockLength();
                group.wrap(buffer, items);
                content.add(buffer, items, items + GroupSizeEncodingDecoder.ENCODED_LENGTH + group.numInGroup() * group.blockLength());
                content.finish();
                time = order.eventTime();
                break;
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, body, header.blockLength(), header.version());
                id = Ids.hash(buffer, body + PaymentDecoder.paymentIdEncodingOffset(), ID);
                if (id == Ids.EMPTY) {
                    return false;
                }
                final short result = payment.resultRaw();
                // money going back is told apart by its amount too: partial refunds come under the payment's own id
                // (integrator trial: a second one read ID_REUSED)
                key = result == PaymentResult.REFUNDED.value() || result == PaymentResult.CHARGEBACK.value()
                        ? Ids.combine(Ids.combine(id, PAYMENT_KEY | (result & 0xFFFF)), payment.amount())
                        : Ids.combine(id, PAYMENT_KEY | (result & 0xFFFF));
                // order, user, card, amount, currency, result: every field but the client sequence, time and label
                content.add(buffer, body + PaymentDecoder.paymentIdEncodingOffset(), body + PaymentDecoder.labelEncodingOffset());
                content.finish();
                time = payment.eventTime();
                break;
            default:
                return false;
        }
        final int s = ids.find(key, time);
        if (s == DecidedIds.NONE) {
            remember = !ids.tooLate(time); // it could never be matched, and would push out one that can (review)
            pendingKey = key;
            pendingDigestHigh = content.high();
            pendingDigestLow = content.low();
            pendingTime = time;
            return false;
        }
        if (!ids.sameContent(s, content.high(), content.low())) {
            reused = true;
            reusedOf = ids.sequence(s);
            reusedIds++;
            return false;
        }
        repeatOf = s;
        repeats++;
        return true;
    }

    /**
     * Where a payment that names no user finds its order's, for its decision and fraud alert: it was judged by that user
     * ({@link FraudScorer#joinOrdersWith}), and a user's fraud-alert subscribers are to get it (integrator trial: the
     * alert of a payment declined for its order's denied card carried no user and reached none of them). Set once.
     */
    public void joinOrdersWith(final OrderParties parties) {
        this.orders = parties;
    }

    /** Writes a payment's decision with its own user, or its order's when it names none and the order is held. */
    private void writePayment(final long seq, final long ingestTimeMicros, final DirectBuffer buffer, final int body,
                              final boolean alerts, final OutputBuffer out) {
        final int userAt = body + PaymentDecoder.userIdEncodingOffset();
        final boolean fromOrder = buffer.getByte(userAt) == 0
                && orders.copyParties(Ids.hash(buffer, body + PaymentDecoder.orderIdEncodingOffset(), ID), payment.eventTime(), parties)
                && parties.getByte(0) != 0;
        writer.payment(seq, ingestTimeMicros, payment, buffer, body, fromOrder ? parties : buffer, fromOrder ? 0 : userAt,
                verdict, alerts, out);
    }

    /** Lets another business rule amend each order's verdict before it is written (inventory: OVERSELL). */
    public void amendOrdersWith(final OrderVerdictAmendment amendment) {
        this.amendment = amendment;
    }

    /** Writes the decision for the event at {@code offset} if it is an order or a payment. */
    public void onEvent(final long seq, final long ingestTimeMicros, final DirectBuffer buffer, final int offset,
                        final OutputBuffer out) {
        if (repeatOf != DecidedIds.NONE) {
            answerRepeat(seq, ingestTimeMicros, buffer, offset, out);
            return;
        }
        final boolean scored = scorer.onEvent(buffer, offset, verdict);
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, header.blockLength(), header.version());
                if (amendment != null) {
                    amendment.amend(verdict);
                }
                settle(seq);
                writer.order(seq, ingestTimeMicros, order, buffer, body, verdict, true, out);
                decided++;
                break;
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, body, header.blockLength(), header.version());
                settle(seq);
                writePayment(seq, ingestTimeMicros, buffer, body, true, out);
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
            if (reused) {
                listener.onIdReused(seq, reusedOf);
            }
            listener.onScored(seq, buffer, offset, scorer, verdict);
        }
    }

    /** Remembers a new order's or payment's final verdict, or marks one whose id was decided for other content. */
    private void settle(final long seq) {
        if (remember) {
            ids.remember(pendingKey, pendingDigestHigh, pendingDigestLow, pendingTime, seq, verdict);
        } else if (reused) {
            verdict.reasonKept(ID_REUSED_CODE); // told even after eight rules' reasons, OVERSELL kept too (review)
        }
    }

    /** Writes the first decision of the order or payment this event repeats, without scoring it. */
    private void answerRepeat(final long seq, final long ingestTimeMicros, final DirectBuffer buffer, final int offset,
                              final OutputBuffer out) {
        final int s = repeatOf;
        verdict.reset();
        verdict.outcome(ids.outcome(s)).score(ids.score(s)).reason(REPEATED_ID_CODE);
        if (ids.firstReason(s, firstReason)) {
            verdict.reason(firstReason);
        }
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.templateId() == OrderDecoder.TEMPLATE_ID) {
            order.wrap(buffer, body, header.blockLength(), header.version());
            writer.order(seq, ingestTimeMicros, order, buffer, body, verdict, false, out); // its first was alerted
        } else {
            payment.wrap(buffer, body, header.blockLength(), header.version());
            writePayment(seq, ingestTimeMicros, buffer, body, false, out);
        }
        decided++;
        if (listener != null) {
            listener.onRepeat(seq, ids.sequence(s), buffer, offset, verdict);
        }
    }

    /** Orders and payments answered with their first decision ({@code decisions.repeats: first}). */
    public long repeats() {
        return repeats;
    }

    /** Orders and payments whose id was decided before for other content: decided again, reason {@value #ID_REUSED}. */
    public long reusedIds() {
        return reusedIds;
    }

    /** Decided ids forgotten to make room before {@code decisions.rememberFor} was over. */
    public long repeatIdsForgottenForRoom() {
        return ids == null ? 0 : ids.forgottenForRoom();
    }

    /** {@code decisions.maxRemembered}, 0 with {@code repeats: again}. */
    public int maxRemembered() {
        return maxRemembered;
    }

    /** Decided ids remembered now. */
    public int rememberedIds() {
        return ids == null ? 0 : ids.size();
    }

    /** Hash of the repeat state (counters and remembered decisions). */
    public long stateHash() {
        return (repeats * 31 + reusedIds) * 31 + (ids == null ? 0 : ids.stateHash());
    }

    public long stateBytesBound() {
        return 16 + (ids == null ? 0 : ids.stateBytesBound());
    }

    /** Snapshot: the repeat counters and the remembered decisions (nothing else of this stage is state). */
    public void writeState(final StateWriter w) {
        w.putLong(repeats).putLong(reusedIds);
        if (ids != null) {
            ids.writeState(w);
        }
    }

    public void readState(final StateReader r) {
        repeats = r.getLong();
        reusedIds = r.getLong();
        if (ids != null) {
            ids.readState(r); // the configuration digest says whether the snapshot has them
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
