package io.ringfence.tools.fraud;

import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.fraud.Feature;
import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The labelled orders and payments the engine scored during a {@code train} or {@code evaluate}
 * run, as columns: time, label, user, id, the engine's score and outcome, the model's own score
 * and (when asked for) the raw feature vector. Filled by the business thread as a
 * {@link ScoreListener}; read after the engine has closed. Unlabelled events are only counted.
 */
public final class ScoredEvents implements ScoreListener {
    private final boolean keepFeatures;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();

    private int size;
    private long unlabelled;
    private long labelledNotScored;
    private long labelledRepeats;
    /** Labelled repeats whose label differs from their first send's: the later label is the one kept. */
    private long relabelled;
    /** Labelled repeats of a first send that carried no label (or was not scored): left out. */
    private long lateLabels;
    private long[] sequence = new long[1024];
    private long[] time = new long[1024];
    private byte[] label = new byte[1024];
    private byte[] outcome = new byte[1024];
    private double[] score = new double[1024];
    private double[] modelScore = new double[1024];
    private String[] user = new String[1024];
    private String[] id = new String[1024];
    private double[] features;
    /** The user of each order seen (labelled or not), for payments sent without one (a tool's memory, not the engine's). */
    private final java.util.Map<String, String> ordersUsers = new java.util.HashMap<>();
    private final boolean rememberOrderUsers;
    private long withoutUser;

    /** @param keepFeatures copy every labelled event's feature vector (training needs them) */
    public ScoredEvents(final boolean keepFeatures) {
        this(keepFeatures, false);
    }

    /**
     * @param keepFeatures copy every labelled event's feature vector (training needs them)
     * @param orderUsers   remember each order's user, for payments sent without one (a by-user hold-out only:
     *                     it holds every order id of the input)
     */
    public ScoredEvents(final boolean keepFeatures, final boolean orderUsers) {
        this.keepFeatures = keepFeatures;
        this.rememberOrderUsers = orderUsers;
        this.features = keepFeatures ? new double[1024 * Feature.COUNT] : new double[0];
    }

    @Override
    public void onScored(final long seq, final DirectBuffer buffer, final int offset, final FraudScorer scorer,
                         final Verdict verdict) {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final byte l;
        final long t;
        final String u;
        final String i;
        if (header.templateId() == OrderDecoder.TEMPLATE_ID) {
            order.wrap(buffer, body, header.blockLength(), header.version());
            final String orderUser = order.userId();
            if (rememberOrderUsers && !orderUser.isEmpty()) {
                ordersUsers.put(order.orderId(), orderUser.intern()); // one string per user, not per order
            }
            l = order.label();
            if (l == OrderDecoder.labelNullValue()) {
                unlabelled++;
                return;
            }
            t = order.eventTime();
            u = orderUser;
            i = order.orderId();
        } else {
            payment.wrap(buffer, body, header.blockLength(), header.version());
            l = payment.label();
            if (l == PaymentDecoder.labelNullValue()) {
                unlabelled++;
                return;
            }
            t = payment.eventTime();
            final String paymentUser = payment.userId();
            // a payment without a userId is its order's user's: a by-user hold-out keeps every event of a user on one side
            u = paymentUser.isEmpty() ? ordersUsers.getOrDefault(payment.orderId(), "") : paymentUser;
            if (rememberOrderUsers && u.isEmpty()) {
                withoutUser++; // no userId and no order of it earlier in the input: its side is that of the empty user
            }
            i = payment.paymentId();
        }
        grow();
        sequence[size] = seq;
        time[size] = t;
        label[size] = l;
        outcome[size] = (byte) verdict.outcome().value();
        score[size] = verdict.score();
        modelScore[size] = scorer.lastModelScore();
        user[size] = u;
        id[size] = i;
        if (keepFeatures) {
            scorer.lastFeatures().copyTo(features, size * Feature.COUNT);
        }
        size++;
    }

    private void grow() {
        if (size < time.length) {
            return;
        }
        final int n = size * 2;
        sequence = Arrays.copyOf(sequence, n);
        time = Arrays.copyOf(time, n);
        label = Arrays.copyOf(label, n);
        outcome = Arrays.copyOf(outcome, n);
        score = Arrays.copyOf(score, n);
        modelScore = Arrays.copyOf(modelScore, n);
        user = Arrays.copyOf(user, n);
        id = Arrays.copyOf(id, n);
        if (keepFeatures) {
            features = Arrays.copyOf(features, n * Feature.COUNT);
        }
    }

    /** Labelled payments of a by-user hold-out with no userId and no earlier order to take one from. */
    public long paymentsWithoutUser() {
        return withoutUser;
    }

    /** Says on {@code err} how many {@link #paymentsWithoutUser} there were, if any ({@code train}, {@code evaluate}). */
    public void reportPaymentsWithoutUser(final String tool, final java.io.PrintStream err) {
        if (withoutUser > 0) {
            err.printf("ringfence %s: %,d labelled payments have no userId and no order earlier in the input: they are on"
                    + " the side of an empty user id in --holdout%n", tool, withoutUser);
        }
    }

    /** Labelled events scored. */
    public int size() {
        return size;
    }

    @Override
    public void onPaymentNotScored(final long seq, final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        payment.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        if (payment.label() != PaymentDecoder.labelNullValue()) {
            labelledNotScored++;
        }
    }

    /**
     * An order or payment answered as a repeat of one decided before (decisions.repeats: first): not scored, so counted
     * once, as first decided (review: a file sent twice said half its labelled lines, and nothing about the rest). A
     * label differs from the first send's (a chargeback learnt later; the repeat's content hash leaves the label out):
     * the later label replaces it, and is counted. A label on a repeat of a first send without one cannot be used (that
     * send's features were not kept): counted apart (data-scientist trial: 2,000 late labels were dropped while the
     * summary said "each is counted once", and a conflicting label was ignored without a word).
     */
    @Override
    public void onRepeat(final long seq, final long firstSeq, final DirectBuffer buffer, final int offset, final Verdict verdict) {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final byte l;
        if (header.templateId() == OrderDecoder.TEMPLATE_ID) {
            order.wrap(buffer, body, header.blockLength(), header.version());
            l = order.label() == OrderDecoder.labelNullValue() ? -1 : order.label();
        } else if (header.templateId() == PaymentDecoder.TEMPLATE_ID) {
            payment.wrap(buffer, body, header.blockLength(), header.version());
            l = payment.label() == PaymentDecoder.labelNullValue() ? -1 : payment.label();
        } else {
            return;
        }
        if (l < 0) {
            return;
        }
        final int first = Arrays.binarySearch(sequence, 0, size, firstSeq); // scored in engine order: ascending
        if (first < 0) {
            lateLabels++;
            return;
        }
        labelledRepeats++;
        if (label[first] != l) {
            label[first] = l;
            relabelled++;
        }
    }

    /** Labelled orders and payments that were repeats of a labelled one decided before, counted once ({@link #onRepeat}). */
    public long labelledRepeats() {
        return labelledRepeats;
    }

    /** Of {@link #labelledRepeats}, those whose label replaced the first send's. */
    public long relabelled() {
        return relabelled;
    }

    /** Labelled repeats of a first send that had no label (or was not scored): left out. */
    public long lateLabels() {
        return lateLabels;
    }

    /** Says on {@code err} how repeats were counted, if there were any ({@code train}, {@code evaluate}). */
    public void reportRepeats(final String tool, final java.io.PrintStream err) {
        if (labelledRepeats > 0) {
            err.printf("ringfence %s: %,d labelled orders/payments were repeats of one decided before (the same id and content"
                    + " sent again: docs/fraud.md \"Repeated orders and payments\"); each is counted once, as first decided%s%n",
                    tool, labelledRepeats, relabelled == 0 ? "" : String.format("; %,d of them carried another label than the"
                    + " first send: the later label is used (a chargeback learnt later)", relabelled));
        }
        if (lateLabels > 0) {
            err.printf("ringfence %s: warning: %,d labelled orders/payments were repeats of one first sent without a label (or"
                    + " not scored): left out, since that send's features were not kept; label the first send, or send"
                    + " labels only with it%n", tool, lateLabels);
        }
    }

    /** Labelled payments that were not scored (refunds and chargebacks): left out of training and evaluation. */
    public long labelledNotScored() {
        return labelledNotScored;
    }

    /** Orders and payments scored without a label. */
    public long unlabelled() {
        return unlabelled;
    }

    public long sequence(final int i) {
        return sequence[i];
    }

    public long time(final int i) {
        return time[i];
    }

    public boolean fraud(final int i) {
        return label[i] == 1;
    }

    public Outcome outcome(final int i) {
        return Outcome.get(outcome[i]);
    }

    public double score(final int i) {
        return score[i];
    }

    public double modelScore(final int i) {
        return modelScore[i];
    }

    public String user(final int i) {
        return user[i];
    }

    public String id(final int i) {
        return id[i];
    }

    /** Raw feature {@code f} of event {@code i} (only with keepFeatures). */
    public double feature(final int i, final int f) {
        return features[i * Feature.COUNT + f];
    }

    /** Every labelled event's time (for {@link Selection#resolve}). */
    public long[] times() {
        return time;
    }
}
