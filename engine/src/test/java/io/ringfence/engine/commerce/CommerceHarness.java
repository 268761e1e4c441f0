package io.ringfence.engine.commerce;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A business stage (windows off) fed JSON lines, one event each; every output comes back as its
 * JSON line. Sequence = clientSeq = the event's number from 1.
 */
final class CommerceHarness {
    static final String T0 = "2026-01-05T10:00:00Z";

    private final JsonEventParser parser = new JsonEventParser();
    private final ParseResult result = new ParseResult();
    private final UnsafeBuffer in = new UnsafeBuffer(new byte[8192]);
    private final OutputBuffer out = new OutputBuffer(4096);
    private final JsonOutputWriter json = new JsonOutputWriter();
    final EngineLogic logic;
    private long seq;

    CommerceHarness(final Consumer<EngineConfig> tweak) {
        this(logic(tweak), 0);
    }

    private CommerceHarness(final EngineLogic logic, final long seq) {
        this.logic = logic;
        this.seq = seq;
    }

    static EngineLogic logic(final Consumer<EngineConfig> tweak) {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.windows = List.of();
        config.fraud.rules = List.of();
        config.trending.enabled = false; // other push stages stay out of these outputs
        config.carts.enabled = false;
        tweak.accept(config);
        return new EngineLogic(BusinessSpec.of(config), null);
    }

    /** Applies one event; its outputs as JSON lines. */
    List<String> send(final String line) {
        seq++;
        final int length = parser.parse(line, seq, seq, in, 0, result);
        assertFalse(result.isRejected(), () -> "test event refused: " + result);
        out.reset();
        logic.onEvent(seq, seq, in, 0, length, out);
        return outputs();
    }

    private List<String> outputs() {
        final List<String> lines = new ArrayList<>();
        out.forEach((b, offset, len) -> lines.add(json.toJson(b, offset)));
        return lines;
    }

    /**
     * An event that fails after the order stage: only {@link CommerceStage#onEvent} runs (as when
     * the decision stage throws; the business handler goes on with the next event); its outputs dropped.
     */
    void sendFailingAfterOrderStage(final String line) {
        seq++;
        final int length = parser.parse(line, seq, seq, in, 0, result);
        assertFalse(result.isRejected(), () -> "test event refused: " + result);
        out.reset();
        logic.commerce().onEvent(seq, in, 0, out);
        out.reset();
    }

    /** End of input: the windows' open intervals and the deadlines lateness held back, as JSON lines. */
    List<String> flush() {
        out.reset();
        logic.onEndOfInput(seq, out);
        return outputs();
    }

    /** Outputs of one event, decisions left out. */

    List<String> pushes(final String line) {
        final List<String> all = send(line);
        all.removeIf(s -> s.contains("\"type\":\"decision\""));
        return all;
    }

    CommerceStage commerce() {
        return logic.commerce();
    }

    /** A new harness on a new business stage restored from this one's snapshot, continuing the sequence. */
    CommerceHarness restored(final Consumer<EngineConfig> tweak) {
        final StateWriter w = new StateWriter(1 << 16);
        logic.writeState(w);
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final EngineLogic copy = logic(tweak);
        copy.readState(new StateReader(bytes));
        return new CommerceHarness(copy, seq);
    }

    static String order(final String time, final String orderId, final String user, final String items) {
        return "{\"type\":\"order\",\"time\":\"" + time + "\",\"orderId\":\"" + orderId + "\",\"userId\":\"" + user
                + "\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"items\":[" + items + "]}";
    }

    /** An order of {@code merchant} (null: none). */
    static String order(final String time, final String orderId, final String user, final String merchant, final String items) {
        final String o = order(time, orderId, user, items);
        return merchant == null ? o : o.substring(0, o.length() - 1) + ",\"merchantId\":\"" + merchant + "\"}";
    }

    static String item(final String sku, final int qty) {
        return "{\"sku\":\"" + sku + "\",\"qty\":" + qty + ",\"unitPrice\":\"1.00\"}";
    }

    static String status(final String time, final String orderId, final String user, final String status) {
        return "{\"type\":\"orderStatus\",\"time\":\"" + time + "\",\"orderId\":\"" + orderId + "\",\"userId\":\"" + user
                + "\",\"status\":\"" + status + "\"}";
    }

    static String payment(final String time, final String paymentId, final String orderId, final String result) {
        return payment(time, paymentId, orderId, "10.00", "EUR", result);
    }

    static String payment(final String time, final String paymentId, final String orderId, final String amount,
                          final String currency, final String result) {
        return "{\"type\":\"payment\",\"time\":\"" + time + "\",\"paymentId\":\"" + paymentId + "\",\"orderId\":\"" + orderId
                + "\",\"userId\":\"u1\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\",\"result\":\"" + result + "\"}";
    }

    static String level(final String time, final String sku, final String warehouse, final long level) {
        return "{\"type\":\"inventory\",\"time\":\"" + time + "\",\"sku\":\"" + sku + "\",\"warehouse\":\"" + warehouse
                + "\",\"level\":" + level + "}";
    }

    static String delta(final String time, final String sku, final String warehouse, final long delta) {
        return "{\"type\":\"inventory\",\"time\":\"" + time + "\",\"sku\":\"" + sku + "\",\"warehouse\":\"" + warehouse
                + "\",\"delta\":" + delta + "}";
    }

    static String activity(final String time) {
        return "{\"type\":\"activity\",\"time\":\"" + time + "\",\"userId\":\"someone\",\"kind\":\"LOGIN\"}";
    }
}
