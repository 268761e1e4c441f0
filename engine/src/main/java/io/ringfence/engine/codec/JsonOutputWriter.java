package io.ringfence.engine.codec;

import com.fasterxml.jackson.core.io.SerializedString;
import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the engine's SBE output messages as JSON lines (DESIGN §4.1), one object per line, the
 * same input always giving the same bytes. Field order is fixed:
 * <pre>
 * {"type":"decision","seq":42,"clientSeq":17,"time":"2011-12-09T12:50:00Z","orderId":"536365","userId":"17850","decision":"APPROVE","score":0.1,"reasons":["NEW_INSTRUMENT"]}
 * {"type":"reject","seq":-1,"line":17,"code":"MISSING_FIELD","reason":"missing required field 'userId' for type 'order'"}
 * {"type":"windowResult","seq":97,"window":"gmv_by_country_1h","key":"United Kingdom","start":"2011-12-09T12:00:00Z","end":"2011-12-09T13:00:00Z","currency":"GBP","count":12,"sum":"1234.56","max":"99.00","distinctUserId":7,"mean":102.88,"topkSku":[{"item":"85123A","count":10}],"lateTotal":0}
 * {"type":"orderStatusPush","seq":50,"time":"...","orderId":"536365","userId":"17850","status":"SHIPPED"}
 * {"type":"stockPush","seq":51,"time":"...","sku":"85123A","warehouse":"w1","level":3,"signal":"LOW"}
 * {"type":"fraudAlert","seq":52,"time":"...","paymentId":"p-1","userId":"17850","decision":"DECLINE","score":0.97,"reasons":["CARD_TESTING"]}
 * {"type":"anomalyAlert","seq":53,"time":"...","window":"orders_1m","key":"United Kingdom","metric":"count","observed":120.0,"expected":20.5,"score":6.1,"text":"..."}
 * {"type":"trendingPush","seq":54,"time":"...","window":"trendingViews","category":"home","items":[{"sku":"85123A","count":40}]}
 * {"type":"trendingPush","seq":55,"time":"...","window":"cartAbandoned","userId":"17850","items":[{"sku":"85123A","count":2}]}
 * </pre>
 * <ul>
 *   <li>Decisions and fraud alerts name their subject {@code orderId} or {@code paymentId} by its
 *       kind; empty {@code userId}, {@code warehouse}, trending {@code category} and a blank window-result {@code currency} are
 *       left out; {@code reasons} is always there, possibly {@code []}.</li>
 *   <li>A reject's {@code line} is the input's {@code clientSeq} (the line number for files), or
 *       {@code clientSeq} for an event a gateway client sent ({@link #rejectsNameClientSeq}).</li>
 *   <li>Window metrics become fields named by the metric: MONEY a decimal string in the result's
 *       currency (an integer of minor units when the currency is blank), COUNT an integer, NUMBER a
 *       JSON number. A metric whose name is a fixed field ({@code type seq window key start end
 *       currency count lateTotal}) is left out so no key repeats. Top items are grouped by metric
 *       name, in order of first appearance, each entry {@code {"item":..,"count":..}}.</li>
 *   <li>Scores and other doubles use {@link Double#toString}; NaN and infinities are {@code null}.</li>
 * </ul>
 * Not thread-safe; reuses one generator, one line buffer and its scratch arrays.
 */
public final class JsonOutputWriter {
    private static final SerializedString TYPE_DECISION = new SerializedString("decision");
    private static final SerializedString TYPE_REJECT = new SerializedString("reject");
    private static final SerializedString TYPE_WINDOW_RESULT = new SerializedString("windowResult");
    private static final SerializedString TYPE_ORDER_STATUS_PUSH = new SerializedString("orderStatusPush");
    private static final SerializedString TYPE_STOCK_PUSH = new SerializedString("stockPush");
    private static final SerializedString TYPE_FRAUD_ALERT = new SerializedString("fraudAlert");
    private static final SerializedString TYPE_ANOMALY_ALERT = new SerializedString("anomalyAlert");
    private static final SerializedString TYPE_TRENDING_PUSH = new SerializedString("trendingPush");

    private static final SerializedString CLIENT_SEQ = new SerializedString("clientSeq");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString ORDER_ID = new SerializedString("orderId");
    private static final SerializedString PAYMENT_ID = new SerializedString("paymentId");
    private static final SerializedString SUBJECT_ID = new SerializedString("subjectId");
    private static final SerializedString USER_ID = new SerializedString("userId");
    private static final SerializedString DECISION = new SerializedString("decision");
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString REASONS = new SerializedString("reasons");
    private static final SerializedString LINE = new SerializedString("line");
    private static final SerializedString CODE = new SerializedString("code");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString WINDOW = new SerializedString("window");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString START = new SerializedString("start");
    private static final SerializedString END = new SerializedString("end");
    private static final SerializedString CURRENCY = new SerializedString("currency");
    private static final SerializedString COUNT = new SerializedString("count");
    private static final SerializedString LATE_TOTAL = new SerializedString("lateTotal");
    private static final SerializedString ITEM = new SerializedString("item");
    private static final SerializedString OVERCOUNT = new SerializedString("overcount");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString SKU = new SerializedString("sku");
    private static final SerializedString WAREHOUSE = new SerializedString("warehouse");
    private static final SerializedString LEVEL = new SerializedString("level");
    private static final SerializedString SIGNAL = new SerializedString("signal");
    private static final SerializedString METRIC = new SerializedString("metric");
    private static final SerializedString OBSERVED = new SerializedString("observed");
    private static final SerializedString EXPECTED = new SerializedString("expected");
    private static final SerializedString TEXT = new SerializedString("text");
    private static final SerializedString ITEMS = new SerializedString("items");
    private static final SerializedString CATEGORY = new SerializedString("category");

    private static final int ID = Ids.MAX_ID_BYTES;
    private static final int NAME = WindowResultDecoder.windowLength();
    private static final int REASON_CODE = DecisionDecoder.ReasonsDecoder.codeLength();
    private static final byte[][] FIXED_WINDOW_FIELDS = ascii(
        "type", "seq", "window", "key", "start", "end", "currency", "count", "lateTotal");

    private final JsonLine line = new JsonLine();
    private boolean rejectsNameClientSeq;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DecisionDecoder decision = new DecisionDecoder();
    private final RejectDecoder reject = new RejectDecoder();
    private final WindowResultDecoder windowResult = new WindowResultDecoder();
    private final OrderStatusPushDecoder orderStatusPush = new OrderStatusPushDecoder();
    private final StockPushDecoder stockPush = new StockPushDecoder();
    private final FraudAlertDecoder fraudAlert = new FraudAlertDecoder();
    private final AnomalyAlertDecoder anomalyAlert = new AnomalyAlertDecoder();
    private final TrendingPushDecoder trendingPush = new TrendingPushDecoder();
    private final WindowScratch window = new WindowScratch();

    /**
     * Whether the next rejects answer an event a gateway client sent, whose {@code clientSeq} is then
     * written as {@code clientSeq}, not as the {@code line} of a file (replay of a server's journal).
     */
    public void rejectsNameClientSeq(final boolean clientSeq) {
        rejectsNameClientSeq = clientSeq;
    }

    /**
     * Writes the output message whose SBE header is at {@code offset} as one line with its newline.
     *
     * @throws IllegalArgumentException when the message is not an output of this schema
     */
    public void write(final DirectBuffer buffer, final int offset, final OutputStream out) throws IOException {
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            throw new IllegalArgumentException("not a ringfence message: schema id " + header.schemaId());
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId()) {
            case DecisionDecoder.TEMPLATE_ID:
                decision(decision.wrap(buffer, body, blockLength, version), out);
                break;
            case RejectDecoder.TEMPLATE_ID:
                reject(reject.wrap(buffer, body, blockLength, version), out);
                break;
            case WindowResultDecoder.TEMPLATE_ID:
                windowResult(windowResult.wrap(buffer, body, blockLength, version), out);
                break;
            case OrderStatusPushDecoder.TEMPLATE_ID:
                orderStatusPush(orderStatusPush.wrap(buffer, body, blockLength, version), out);
                break;
            case StockPushDecoder.TEMPLATE_ID:
                stockPush(stockPush.wrap(buffer, body, blockLength, version), out);
                break;
            case FraudAlertDecoder.TEMPLATE_ID:
                fraudAlert(fraudAlert.wrap(buffer, body, blockLength, version), out);
                break;
            case AnomalyAlertDecoder.TEMPLATE_ID:
                anomalyAlert(anomalyAlert.wrap(buffer, body, blockLength, version), out);
                break;
            case TrendingPushDecoder.TEMPLATE_ID:
                trendingPush(trendingPush.wrap(buffer, body, blockLength, version), out);
                break;
            default:
                throw new IllegalArgumentException("not an output message: template id " + header.templateId());
        }
    }

    /**
     * Writes a reject for an input line that never became an SBE message (a parse reject):
     * {@code {"type":"reject","seq":-1,"line":17,"code":"MISSING_FIELD","reason":"..."}}.
     */
    public void writeReject(final long lineNumber, final RejectCode code, final String reason, final OutputStream out)
        throws IOException {
        line.begin(TYPE_REJECT);
        line.number(JsonLine.SEQ, -1L);
        line.number(LINE, lineNumber);
        line.string(CODE, code.name());
        line.string(REASON, reason);
        line.end(out);
    }

    /** {@link #writeReject(long, RejectCode, String, OutputStream)} for a refused {@link ParseResult}. */
    public void writeReject(final ParseResult result, final OutputStream out) throws IOException {
        if (!result.isRejected()) {
            throw new IllegalArgumentException("the parse result is not a reject: " + result);
        }
        writeReject(result.line(), result.code(), result.reason(), out);
    }

    /** The line as a string without its newline (allocates; for tools and tests). */
    public String toJson(final DirectBuffer buffer, final int offset) {
        return JsonLine.toText(out -> write(buffer, offset, out));
    }

    private void decision(final DecisionDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_DECISION);
        line.number(JsonLine.SEQ, d.seq());
        line.number(CLIENT_SEQ, d.clientSeq());
        line.time(TIME, d.eventTime());
        d.getSubjectId(line.field, 0);
        line.padded(subject(d.subjectKind()), ID, false);
        if (d.subjectKind() == SubjectKind.PAYMENT && d.getOrderId(line.field, 0) > 0) { // an order's is its subject
            line.padded(ORDER_ID, ID, true);
        }
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, true);
        line.string(DECISION, d.outcome().name());
        line.number(SCORE, d.score());
        line.gen().writeFieldName(REASONS);
        line.gen().writeStartArray();
        final DecisionDecoder.ReasonsDecoder reasons = d.reasons();
        while (reasons.hasNext()) {
            reasons.next().getCode(line.field, 0);
            line.utf8(line.field, JsonLine.length(line.field, REASON_CODE));
        }
        line.gen().writeEndArray();
        line.end(out);
    }

    private void reject(final RejectDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_REJECT);
        line.number(JsonLine.SEQ, d.seq());
        line.number(rejectsNameClientSeq ? CLIENT_SEQ : LINE, d.clientSeq());
        line.string(CODE, d.code().name());
        final int length = d.reasonLength();
        final byte[] bytes = line.data(length);
        d.getReason(bytes, 0, length);
        line.gen().writeFieldName(REASON);
        line.utf8(bytes, length);
        line.end(out);
    }

    private void orderStatusPush(final OrderStatusPushDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_ORDER_STATUS_PUSH);
        line.number(JsonLine.SEQ, d.seq());
        line.time(TIME, d.eventTime());
        d.getOrderId(line.field, 0);
        line.padded(ORDER_ID, ID, false);
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, true);
        line.string(STATUS, d.status().name());
        line.end(out);
    }

    private void stockPush(final StockPushDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_STOCK_PUSH);
        line.number(JsonLine.SEQ, d.seq());
        line.time(TIME, d.eventTime());
        d.getSku(line.field, 0);
        line.padded(SKU, ID, false);
        d.getWarehouse(line.field, 0);
        line.padded(WAREHOUSE, ID, true);
        line.number(LEVEL, d.level());
        line.string(SIGNAL, d.signal().name());
        line.end(out);
    }

    private void fraudAlert(final FraudAlertDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_FRAUD_ALERT);
        line.number(JsonLine.SEQ, d.seq());
        line.time(TIME, d.eventTime());
        d.getSubjectId(line.field, 0);
        line.padded(subject(d.subjectKind()), ID, false);
        if (d.subjectKind() == SubjectKind.PAYMENT && d.getOrderId(line.field, 0) > 0) {
            line.padded(ORDER_ID, ID, true);
        }
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, true);
        line.string(DECISION, d.outcome().name());
        line.number(SCORE, d.score());
        line.gen().writeFieldName(REASONS);
        line.gen().writeStartArray();
        final FraudAlertDecoder.ReasonsDecoder reasons = d.reasons();
        while (reasons.hasNext()) {
            reasons.next().getCode(line.field, 0);
            line.utf8(line.field, JsonLine.length(line.field, REASON_CODE));
        }
        line.gen().writeEndArray();
        line.end(out);
    }

    private void anomalyAlert(final AnomalyAlertDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_ANOMALY_ALERT);
        line.number(JsonLine.SEQ, d.seq());
        line.time(TIME, d.eventTime());
        d.getWindow(line.field, 0);
        line.padded(WINDOW, NAME, false);
        final int keyLength = d.keyLength();
        byte[] bytes = line.data(keyLength);
        d.getKey(bytes, 0, keyLength);
        line.gen().writeFieldName(KEY);
        line.utf8(bytes, keyLength);
        d.getMetric(line.field, 0);
        line.padded(METRIC, NAME, false);
        line.number(OBSERVED, d.observed());
        line.number(EXPECTED, d.expected());
        line.number(SCORE, d.score());
        final int textLength = d.textLength();
        bytes = line.data(textLength);
        d.getText(bytes, 0, textLength);
        line.gen().writeFieldName(TEXT);
        line.utf8(bytes, textLength);
        line.end(out);
    }

    private void trendingPush(final TrendingPushDecoder d, final OutputStream out) throws IOException {
        line.begin(TYPE_TRENDING_PUSH);
        line.number(JsonLine.SEQ, d.seq());
        line.time(TIME, d.eventTime());
        d.getWindow(line.field, 0);
        line.padded(WINDOW, NAME, false);
        d.getCategory(line.field, 0);
        line.padded(CATEGORY, ID, true);
        d.getUserId(line.field, 0);
        line.padded(USER_ID, ID, true);
        line.gen().writeFieldName(ITEMS);
        line.gen().writeStartArray();
        final TrendingPushDecoder.ItemsDecoder items = d.items();
        while (items.hasNext()) {
            items.next();
            line.gen().writeStartObject();
            items.getSku(line.field, 0);
            line.padded(SKU, ID, false);
            line.number(COUNT, items.occurrences());
            line.gen().writeEndObject();
        }
        line.gen().writeEndArray();
        line.end(out);
    }

    private void windowResult(final WindowResultDecoder d, final OutputStream out) throws IOException {
        window.read(d);
        line.begin(TYPE_WINDOW_RESULT);
        line.number(JsonLine.SEQ, d.seq());
        d.getWindow(line.field, 0);
        line.padded(WINDOW, NAME, false);
        line.gen().writeFieldName(KEY);
        line.utf8(window.key, window.keyLength);
        line.time(START, d.start());
        line.time(END, d.end());
        final byte c0 = d.currency(0);
        final byte c1 = d.currency(1);
        final byte c2 = d.currency(2);
        final int digits = Currencies.fractionDigits(c0, c1, c2);
        line.field[0] = c0;
        line.field[1] = c1;
        line.field[2] = c2;
        line.padded(CURRENCY, 3, true);
        line.number(COUNT, d.count());
        for (int i = 0; i < window.metricCount; i++) {
            final int at = i * NAME;
            final int length = nameLength(window.metricNames, at);
            if (isFixedWindowField(window.metricNames, at, length)) {
                continue;
            }
            line.gen().writeFieldName(new String(window.metricNames, at, length, StandardCharsets.UTF_8));
            final MetricKind kind = window.metricKinds[i];
            if (kind == MetricKind.MONEY) {
                line.moneyValue(window.longValues[i], digits);
            } else if (kind == MetricKind.NUMBER) {
                line.doubleValue(window.doubleValues[i]);
            } else {
                line.gen().writeNumber(window.longValues[i]);
            }
        }
        for (int i = 0; i < window.topCount; i++) {
            final int at = i * NAME;
            final int length = nameLength(window.topMetrics, at);
            if (seenBefore(i, at, length) || isFixedWindowField(window.topMetrics, at, length)) {
                continue;
            }
            line.gen().writeFieldName(new String(window.topMetrics, at, length, StandardCharsets.UTF_8));
            line.gen().writeStartArray();
            for (int k = i; k < window.topCount; k++) {
                if (sameName(window.topMetrics, at, length, k * NAME)) {
                    line.gen().writeStartObject();
                    System.arraycopy(window.topItems, k * ID, line.field, 0, ID);
                    line.padded(ITEM, ID, false);
                    line.number(COUNT, window.occurrences[k]);
                    if (window.overcounts[k] > 0) { // an estimate: the true count is in [count - overcount, count]
                        line.number(OVERCOUNT, window.overcounts[k]);
                    }
                    line.gen().writeEndObject();
                }
            }
            line.gen().writeEndArray();
        }
        line.number(LATE_TOTAL, d.lateTotal());
        line.end(out);
    }

    private boolean seenBefore(final int index, final int at, final int length) {
        for (int j = 0; j < index; j++) {
            if (sameName(window.topMetrics, at, length, j * NAME)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameName(final byte[] names, final int at, final int length, final int other) {
        if (nameLength(names, other) != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (names[at + i] != names[other + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFixedWindowField(final byte[] names, final int at, final int length) {
        for (final byte[] fixed : FIXED_WINDOW_FIELDS) {
            if (fixed.length == length && java.util.Arrays.equals(names, at, at + length, fixed, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private static int nameLength(final byte[] names, final int at) {
        int i = 0;
        while (i < NAME && names[at + i] != 0) {
            i++;
        }
        return i;
    }

    private static SerializedString subject(final SubjectKind kind) {
        switch (kind) {
            case ORDER: return ORDER_ID;
            case PAYMENT: return PAYMENT_ID;
            default: return SUBJECT_ID;
        }
    }

    private static byte[][] ascii(final String... names) {
        final byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
