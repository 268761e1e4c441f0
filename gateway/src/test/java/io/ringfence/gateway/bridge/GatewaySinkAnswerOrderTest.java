package io.ringfence.gateway.bridge;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When a client can see an answer, a LogonAck already reports that client sequence as journaled
 * (CI flake, a real race: the answer went out before the sequence was recorded, a second process
 * of the same client logging on right after it was told to resume at that sequence, and its next
 * new message, taken for a resend, was answered with the old answer and never processed).
 */
class GatewaySinkAnswerOrderTest {
    @Test
    void shouldRecordTheSequenceAsJournaledBeforeTheClientSeesItsAnswer() {
        final ClientDirectory clients = new ClientDirectory(ClientRegistry.of(List.of(new ClientConfig("shop", "s3cret", List.of("SUBMIT")))));
        final long key = Ids.hash("shop");
        clients.onLogon(11, key, "shop");
        final GatewaySink sink = new GatewaySink(clients, 8);
        final List<Long> journaledWhenSent = new ArrayList<>();
        sink.live((sessionId, buffer, offset, length) -> journaledWhenSent.add(clients.lastJournaledClientSeq(key)));

        final UnsafeBuffer decision = new UnsafeBuffer(new byte[512]);
        final DecisionEncoder encoder = new DecisionEncoder().wrapAndApplyHeader(decision, 0, new MessageHeaderEncoder())
            .seq(1).clientSeq(1).eventTime(1).subjectKind(SubjectKind.ORDER).subjectId("o-1").userId("u-1").outcome(Outcome.APPROVE)
            .score(0).ingestTime(1);
        encoder.reasonsCount(0);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        sink.onOutput(1, key, 1, decision, 0, length); // an order's decision
        final UnsafeBuffer event = new UnsafeBuffer(new byte[64]);
        sink.onEventDispatched(1, key, 1, event, 64);
        sink.onEventDispatched(2, key, 2, event, 64); // a status: answered by an Ack
        assertEquals(List.of(1L, 2L), journaledWhenSent, "each answer left after its sequence was recorded");
    }
}
