package io.ringfence.tools.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.SubjectKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Client review of 2026-12-06: answers are written on the client's I/O thread while bad input lines' rejects are
 * written on the sending thread (stdin, or files too big to check first); one JSON writer served both, and with both
 * at once lines were lost, broken or mixed (232 missing and 59 malformed of 40,000 in the reviewer's run).
 */
class LoadListenerThreadsTest {
    private static final int EACH = 20_000;

    @Test
    void answersAndBadLinesWrittenAtOnceAreWholeLinesEveryOne() throws Exception {
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final AnswerLedger ledger = new AnswerLedger(EACH);
        final LoadListener listener = new LoadListener(ledger, new BufferedOutputStream(file, 1 << 16));
        final CountDownLatch start = new CountDownLatch(1);
        final Thread io = new Thread(() -> {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            final DecisionDecoder decoder = new DecisionDecoder();
            await(start);
            for (int i = 1; i <= EACH; i++) {
                ledger.sent(i, System.nanoTime(), 2L * i); // the sending thread's bookkeeping, done here before the answer
                final DecisionEncoder encoder = new DecisionEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                        .seq(i).clientSeq(i).eventTime(1).subjectKind(SubjectKind.ORDER).subjectId("o-" + i).userId("u-" + i)
                        .outcome(Outcome.APPROVE).score(0).ingestTime(1);
                encoder.reasonsCount(0);
                listener.onDecision(decoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder()));
            }
        }, "io");
        final Thread sender = new Thread(() -> {
            await(start);
            for (int i = 1; i <= EACH; i++) {
                listener.badLine(2L * i + 1, RejectCode.BAD_VALUE, "line " + (2 * i + 1) + ": amount 'x' is not a number");
            }
        }, "sender");
        io.start();
        sender.start();
        start.countDown();
        io.join();
        sender.join();
        listener.flushIfDue(Long.MAX_VALUE);

        final ObjectMapper mapper = new ObjectMapper();
        final List<String> lines = file.toString(StandardCharsets.UTF_8).lines().toList();
        int decisions = 0;
        int rejects = 0;
        for (final String line : lines) {
            final JsonNode node = mapper.readTree(line); // throws on a broken line
            final long at = node.get("line").asLong();
            if ("decision".equals(node.get("type").asText())) {
                decisions++;
                assertEquals(2 * node.get("clientSeq").asLong(), at, line);
                assertEquals("o-" + node.get("clientSeq").asLong(), node.get("orderId").asText(), line);
            } else {
                rejects++;
                assertEquals("line " + at + ": amount 'x' is not a number", node.get("reason").asText(), line);
            }
        }
        assertEquals(EACH, decisions, "every answer, once");
        assertEquals(EACH, rejects, "every bad line, once");
    }

    private static void await(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
