package io.ringfence.gateway.bridge;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.frame.MessageFingerprint;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resend under a number the answer store no longer holds: "already processed" when it was answered and its slot
 * overwritten since (by a later journaled answer or by a refusal of the refused tail), "refused earlier and never
 * journaled" only when nothing was answered under it since the store reached it (a refusal lost with a restart).
 * Review: the first version called the journaled numbers whose slots a refused tail had overwritten "never journaled",
 * and a client following that would have sent them again.
 */
class GatewaySinkNeverJournaledTest {
    private static final int CAPACITY = AnswerStore.CAPACITY;

    @Test
    void tellsAnOverwrittenAnswerFromANumberNeverJournaled() {
        final ClientDirectory clients = new ClientDirectory(ClientRegistry.of(List.of(
            new ClientConfig("shop", "s3cret0123456789abc", List.of("SUBMIT")))));
        final long key = Ids.hash("shop");
        clients.onLogon(11, key, "shop");
        final GatewaySink sink = new GatewaySink(clients, 8);
        final UnsafeBuffer event = new UnsafeBuffer(new byte[64]);
        final int last = CAPACITY + 10;
        final int hole = last - 5; // refused before a restart: never journaled, its refusal forgotten
        for (int cs = 1; cs <= last; cs++) {
            if (cs != hole) {
                event.putLong(0, cs);
                sink.onEventDispatched(cs, key, cs, event, 64);
            }
        }
        final List<String> answers = new ArrayList<>();
        sink.live((sessionId, buffer, offset, length) -> {
            final MessageHeaderDecoder h = new MessageHeaderDecoder().wrap(buffer, offset);
            if (h.templateId() == RejectDecoder.TEMPLATE_ID) {
                final RejectDecoder r = new RejectDecoder().wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                answers.add(r.clientSeq() + " " + r.code() + " " + r.reason());
            } else {
                answers.add("template " + h.templateId());
            }
            return true;
        });
        final RejectWriter refusals = new RejectWriter(); // a refused tail of 3 after the last journaled number
        for (int cs = last + 1; cs <= last + 3; cs++) {
            sink.onOutput(last, key, cs, refusals.buffer(), 0, refusals.encode(last, cs, RejectCode.BAD_VALUE, "amount is negative"));
        }
        answers.clear(); // the tail's refusals, sent as they came
        final UnsafeBuffer control = new UnsafeBuffer(new byte[256]);
        for (final long cs : new long[] {last + 1 - CAPACITY, last + 3 - CAPACITY, last + 4 - CAPACITY, hole}) {
            event.putLong(0, cs);
            final long fingerprint = MessageFingerprint.of(event, 0, 64);
            sink.onControl(key, cs, control, 0, ControlMessage.write(control, ControlMessage.REANSWER, fingerprint, event, 0, 0));
        }
        assertEquals(4, answers.size(), answers.toString());
        for (int i = 0; i < 2; i++) {
            assertTrue(answers.get(i).contains("DUPLICATE") && answers.get(i).contains("was already processed"),
                "journaled, its slot overwritten by the refused tail: " + answers.get(i));
        }
        assertEquals("template " + io.ringfence.sbe.AckDecoder.TEMPLATE_ID, answers.get(2), "still held: answered again");
        assertTrue(answers.get(3).startsWith(hole + " DUPLICATE") && answers.get(3).contains("was refused earlier and never journaled"),
            answers.get(3));
    }
}
