package io.ringfence.tools.replay;

import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns every output type shares, for filtering and CSV: {@code seq, time, type, orderId,
 * paymentId, userId, decision, score, reasons}. {@code time} is that of the event that caused the
 * output (its engine sequence). {@code userId}, {@code orderId} and {@code paymentId} are the
 * output's own where it names them: an order-status push its order and user, a cart promotion its
 * user (a push a timer raised, such as {@code UNPAID_OVERDUE}, is caused by whichever later event
 * moved event time past the deadline, and names another order than that event's); a window result
 * and an anomaly alert are about an interval that closed, of no order or user: theirs are empty, and
 * {@code --user} / {@code --order} do not select them (trial: {@code --order ps-1} wrote 2,004 other
 * merchants' window results because ps-1 closed the hour; their CSV rows named ps-1); for the other
 * outputs they are the causing event's, which for a decision or fraud alert are its own.
 * {@code decision}, {@code score} and {@code reasons} only decisions and fraud alerts have; a
 * reject puts its code and reason in {@code reasons}. One instance per dispatch thread, refilled.
 */
final class OutputRow {
    /** Output types by name, as written in the JSON {@code "type"} field. */
    static final List<String> TYPES = List.of("decision", "fraudAlert", "windowResult", "orderStatusPush", "stockPush",
            "anomalyAlert", "trendingPush", "reject");
    static final String CSV_HEADER = "seq,time,type,orderId,paymentId,userId,decision,score,reasons,"
            + "ingestTime,amount,currency,client,clientSeq,configuration,configurationSha256";

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DecisionDecoder decisionDecoder = new DecisionDecoder();
    private final FraudAlertDecoder alertDecoder = new FraudAlertDecoder();
    private final OrderStatusPushDecoder statusDecoder = new OrderStatusPushDecoder();
    private final TrendingPushDecoder trendingDecoder = new TrendingPushDecoder();
    private final RejectDecoder rejectDecoder = new RejectDecoder();
    private final WindowResultDecoder windowDecoder = new WindowResultDecoder();
    private final AnomalyAlertDecoder anomalyDecoder = new AnomalyAlertDecoder();

    long seq;
    int template;
    String type;
    String decision;
    double score;
    final List<String> reasons = new ArrayList<>(8);
    /** Whether the output names its own order and user ({@link #order}, {@link #user}) rather than the causing event's. */
    boolean ownSubject;
    /** The output's own order id ("" for none), when {@link #ownSubject}. */
    String order;
    /** The output's own user id, when {@link #ownSubject}. */
    String user;
    /**
     * A decision's or fraud alert's user id ("" if none): the causing event's, or for a payment that names none its
     * order's, by which it was judged (integrator trial: {@code --user} missed such a payment's decision).
     */
    String decidedUser = "";

    /**
     * Whether a push naming its own order ({@link #ownSubject}) was caused by a payment of that
     * same order (its PAID or REFUNDED status): then it is that payment's too, for {@code --order
     * PAYMENT_ID} and the CSV's paymentId column; a timer's push fired by another order's payment is not.
     */
    static boolean causedByItsOrdersPayment(final OutputRow row, final long sequence, final CausingEvents events) {
        return !row.order.isEmpty() && !events.payment(sequence).isEmpty() && row.order.equals(events.order(sequence));
    }

    /** SBE template id of the output type {@code name}, or -1. */
    static int templateOf(final String name) {
        switch (name) {
            case "decision": return DecisionDecoder.TEMPLATE_ID;
            case "fraudAlert": return FraudAlertDecoder.TEMPLATE_ID;
            case "windowResult": return WindowResultDecoder.TEMPLATE_ID;
            case "orderStatusPush": return OrderStatusPushDecoder.TEMPLATE_ID;
            case "stockPush": return StockPushDecoder.TEMPLATE_ID;
            case "anomalyAlert": return AnomalyAlertDecoder.TEMPLATE_ID;
            case "trendingPush": return TrendingPushDecoder.TEMPLATE_ID;
            case "reject": return RejectDecoder.TEMPLATE_ID;
            default: return -1;
        }
    }

    /** Template id of the output message at {@code offset} (header first). */
    int templateAt(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        return header.templateId();
    }

    /**
     * Reads the output's own order and user where it names them ({@link #ownSubject}); the rest
     * only with {@code details}: a decision or fraud alert's outcome, score and reasons, a reject's
     * code and reason.
     */
    void read(final long sequence, final DirectBuffer buffer, final int offset, final boolean details) {
        header.wrap(buffer, offset);
        seq = sequence;
        template = header.templateId();
        type = typeName(template);
        decision = "";
        score = Double.NaN;
        reasons.clear();
        ownSubject = false;
        order = "";
        user = "";
        decidedUser = "";
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (template == DecisionDecoder.TEMPLATE_ID) {
            decidedUser = decisionDecoder.wrap(buffer, body, header.blockLength(), header.version()).userId();
        } else if (template == FraudAlertDecoder.TEMPLATE_ID) {
            decidedUser = alertDecoder.wrap(buffer, body, header.blockLength(), header.version()).userId();
        }
        if (template == OrderStatusPushDecoder.TEMPLATE_ID) {
            final OrderStatusPushDecoder d = statusDecoder.wrap(buffer, body, header.blockLength(), header.version());
            ownSubject = true;
            order = d.orderId();
            user = d.userId();
        } else if (template == TrendingPushDecoder.TEMPLATE_ID) {
            final TrendingPushDecoder d = trendingDecoder.wrap(buffer, body, header.blockLength(), header.version());
            user = d.userId();
            // a cart promotion is its user's; a trending list is a category's, of no user or order (analyst audit:
            // --order selected the shop-wide list the order's sale changed, as a windowResult once was)
            ownSubject = true;
            if (details) { // which list or promotion, in the reasons column (CSV rows said nothing)
                reasons.add(user.isEmpty() ? d.window() + ": " + d.category() : d.window());
            }
        } else if (template == WindowResultDecoder.TEMPLATE_ID || template == AnomalyAlertDecoder.TEMPLATE_ID) {
            ownSubject = true; // of a closed interval: no order or user, not the one of the event that closed it
        }
        if (!details) {
            return;
        }
        if (template == WindowResultDecoder.TEMPLATE_ID) { // which window and key, in the reasons column
            final WindowResultDecoder d = windowDecoder.wrap(buffer, body, header.blockLength(), header.version());
            final String window = d.window();
            for (final WindowResultDecoder.MetricsDecoder m : d.metrics()) {
                m.sbeSkip(); // the key comes after both groups
            }
            for (final WindowResultDecoder.TopItemsDecoder t : d.topItems()) {
                t.sbeSkip();
            }
            reasons.add(window + ": " + d.key());
        } else if (template == AnomalyAlertDecoder.TEMPLATE_ID) {
            final AnomalyAlertDecoder d = anomalyDecoder.wrap(buffer, body, header.blockLength(), header.version());
            final String window = d.window();
            reasons.add(window + ": " + d.key());
        }
        if (template == RejectDecoder.TEMPLATE_ID) {
            final RejectDecoder d = rejectDecoder.wrap(buffer, body, header.blockLength(), header.version());
            reasons.add(d.code().name() + ": " + d.reason());
        }
        if (template == OrderStatusPushDecoder.TEMPLATE_ID) { // the status, in the reasons column (trial: CSV rows said nothing)
            reasons.add(statusDecoder.wrap(buffer, body, header.blockLength(), header.version()).status().name());
        }
        if (template == DecisionDecoder.TEMPLATE_ID) {
            final DecisionDecoder d = decisionDecoder.wrap(buffer, body, header.blockLength(), header.version());
            decision = d.outcome().name();
            score = d.score();
            for (final DecisionDecoder.ReasonsDecoder r : d.reasons()) {
                reasons.add(r.code());
            }
        } else if (template == FraudAlertDecoder.TEMPLATE_ID) {
            final FraudAlertDecoder d = alertDecoder.wrap(buffer, body, header.blockLength(), header.version());
            decision = d.outcome().name();
            score = d.score();
            for (final FraudAlertDecoder.ReasonsDecoder r : d.reasons()) {
                reasons.add(r.code());
            }
        }
    }

    static String typeName(final int template) {
        switch (template) {
            case DecisionDecoder.TEMPLATE_ID: return "decision";
            case FraudAlertDecoder.TEMPLATE_ID: return "fraudAlert";
            case WindowResultDecoder.TEMPLATE_ID: return "windowResult";
            case OrderStatusPushDecoder.TEMPLATE_ID: return "orderStatusPush";
            case StockPushDecoder.TEMPLATE_ID: return "stockPush";
            case AnomalyAlertDecoder.TEMPLATE_ID: return "anomalyAlert";
            case TrendingPushDecoder.TEMPLATE_ID: return "trendingPush";
            case RejectDecoder.TEMPLATE_ID: return "reject";
            default: return "template" + template;
        }
    }

    /** A score as the JSON outputs write it; empty when there is none. */
    static String score(final double score) {
        return Double.isNaN(score) ? "" : io.ringfence.engine.codec.PlainNumbers.plain(score);
    }

    /**
     * One CSV field, quoted (RFC 4180) when it holds a comma, quote or line break. A field a spreadsheet would run
     * as a formula (starting with {@code = + - @}, a tab or a carriage return: ids come from clients) gets a leading
     * {@code '} (OWASP's CSV-injection advice), so opening the file in Excel shows the id instead of running it.
     */
    static String csv(final String field) {
        final String safe = !field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0 ? "'" + field : field;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
            return safe;
        }
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    static String reasons(final List<String> reasons) {
        return String.join("|", reasons);
    }
}
