package io.ringfence.engine.fraud;

import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same events through two fresh business stages (default configuration) give byte-identical
 * outputs (decisions with scores and reasons, window results) and the same state hash.
 */
class FraudDeterminismTest {
    private static List<FraudEvents.Event> workload() {
        final List<FraudEvents.Event> events = new ArrayList<>(ShopTraffic.events(7, 500, 30_000));
        long t = 20 * FraudEvents.HOUR;
        for (int i = 0; i < 8; i++) { // card testing
            events.add(FraudEvents.payment(t + i * 4 * FraudEvents.SECOND).instrument("stolen").amount(99)
                .result(i % 3 == 2 ? PaymentResult.AUTHORIZED : PaymentResult.DECLINED));
        }
        for (int i = 0; i < 6; i++) { // device ring, plus a fast new-account order
            events.add(FraudEvents.activity(t + i * FraudEvents.MINUTE, ActivityKind.SIGNUP).user("ring-" + i).device("farm"));
            events.add(FraudEvents.order(t + i * FraudEvents.MINUTE + 5 * FraudEvents.SECOND).user("ring-" + i).device("farm"));
        }
        return events;
    }

    private static byte[] run(final List<FraudEvents.Event> events, final long[] stateHash, final int[] notApproved) {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final DecisionDecoder decision = new DecisionDecoder();
        final EngineConfig config = EngineConfigLoader.defaults();
        final EngineLogic logic = new EngineLogic(config.validate(), config.fraudSpec());
        final UnsafeBuffer in = new UnsafeBuffer(new byte[4096]);
        final OutputBuffer out = new OutputBuffer(64 * 1024);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final OutputBuffer.OutputHandler collect = (b, offset, length) -> {
            header.wrap(b, offset);
            if (header.templateId() == DecisionDecoder.TEMPLATE_ID) {
                decision.wrapAndApplyHeader(b, offset, header);
                if (decision.outcome() != Outcome.APPROVE) {
                    notApproved[0]++;
                }
            }
            final byte[] copy = new byte[length];
            b.getBytes(offset, copy);
            bytes.writeBytes(copy);
        };
        long seq = 0;
        for (final FraudEvents.Event e : events) {
            e.encode(in);
            out.reset();
            seq++;
            logic.onEvent(seq, seq * 10, in, 0, 4096, out);
            out.forEach(collect);
        }
        out.reset();
        logic.onEndOfInput(seq, out);
        out.forEach(collect);
        stateHash[0] = logic.stateHash();
        assertTrue(logic.decided() > 15_000, "decisions: " + logic.decided());
        return bytes.toByteArray();
    }

    @Test
    void shouldGiveIdenticalDecisionsForTheSameEvents() {
        final List<FraudEvents.Event> events = workload();
        final long[] h1 = new long[1];
        final long[] h2 = new long[1];
        final int[] d1 = new int[1];
        final int[] d2 = new int[1];
        final byte[] first = run(events, h1, d1);
        final byte[] second = run(events, h2, d2);
        assertTrue(d1[0] >= 10, "the injected patterns were not all approved: " + d1[0]);
        assertEquals(d1[0], d2[0]);
        assertArrayEquals(first, second, "outputs differ between two runs of the same events");
        assertEquals(h1[0], h2[0], "state hashes differ");
    }
}
