package io.ringfence.gateway.bridge;

import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The answers kept for resends: the longest Decision fits, byte for byte, also through a snapshot. */
class AnswerStoreTest {
    /** A payment's Decision with every reason a verdict holds: the longest answer there is. */
    private static int longestDecision(final UnsafeBuffer buffer) {
        final DecisionEncoder e = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        e.seq(7).clientSeq(3).eventTime(1L).subjectKind(SubjectKind.PAYMENT).subjectId("p-1").userId("u-1").outcome(Outcome.DECLINE)
            .score(0.99).ingestTime(2L).orderId("o-1");
        final DecisionEncoder.ReasonsEncoder reasons = e.reasonsCount(Verdict.MAX_REASONS);
        for (int i = 0; i < Verdict.MAX_REASONS; i++) {
            reasons.next().code("REASON_" + i);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    @Test
    void shouldKeepADecisionWithEveryReasonAndItsOrder() {
        // review: with the order's 36 bytes the block grew and a fixed 384-byte slot refused 7 and 8 reasons, so a resend
        // of such an order got Reject DUPLICATE 'too large to repeat' instead of its answer
        final UnsafeBuffer decision = new UnsafeBuffer(new byte[1024]);
        final int length = longestDecision(decision);
        assertEquals(418, length);
        final AnswerStore store = new AnswerStore();
        store.answer(3, 7, decision, 0, length);
        assertEquals(length, store.answerLength(3));
        assertBytes(decision, length, store, 3);
        assertEquals(0, store.fingerprint(3), "unknown until the event is dispatched");
        store.fingerprint(3, 0x5EED_F00DL);

        final StateWriter w = new StateWriter(1 << 16);
        store.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final AnswerStore restored = new AnswerStore();
        restored.readState(new StateReader(bytes), true);
        assertEquals(length, restored.answerLength(3));
        assertBytes(decision, length, restored, 3);
        assertEquals(0x5EED_F00DL, restored.fingerprint(3), "the journaled message's fingerprint is in the snapshot");

        store.answer(3, 9, decision, 0, length);
        assertEquals(0, store.fingerprint(3), "a new answer under the sequence forgets the old message's fingerprint");
    }

    @Test
    void shouldReadASnapshotWrittenBeforeFingerprintsWithThemUnknown() {
        final UnsafeBuffer decision = new UnsafeBuffer(new byte[1024]);
        final int length = longestDecision(decision);
        final StateWriter w = new StateWriter(1 << 16);
        w.putInt(1).putLong(3).putLong(7).putInt(length).putBytes(decision, 0, length); // the GAT3 layout
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final AnswerStore restored = new AnswerStore();
        restored.readState(new StateReader(bytes), false);
        assertBytes(decision, length, restored, 3);
        assertEquals(7, restored.engineSeq(3));
        assertEquals(0, restored.fingerprint(3), "unknown: a resend is answered as before");
    }

    private static void assertBytes(final UnsafeBuffer expected, final int length, final AnswerStore store, final long clientSeq) {
        final byte[] a = new byte[length];
        final byte[] b = new byte[length];
        expected.getBytes(0, a);
        store.answers().getBytes(store.answerOffset(clientSeq), b);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }
}
