package io.ringfence.tools.load;

import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.AckEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When load's answers reach the file (what a kill -9 leaves): the first at once, later ones with the next answer 200 ms
 * on, and, through the sending thread's watchdog, those before a quiet stretch once they waited that long.
 */
class LoadListenerFlushTest {
    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private final AnswerLedger ledger = new AnswerLedger(64);
    private final LoadListener listener = new LoadListener(ledger, new BufferedOutputStream(file, 1 << 16));
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    private void ack(final long clientSeq) {
        ledger.sent(clientSeq, System.nanoTime(), clientSeq);
        new AckEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).seq(clientSeq).clientSeq(clientSeq);
        listener.onAck(new AckDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder()));
    }

    private long linesInFile() {
        return file.toString(StandardCharsets.UTF_8).lines().count();
    }

    @Test
    void theFirstAnswerAtOnceTheRestWithinTheFlushPeriodEvenWhenNothingFollows() {
        ack(1);
        assertEquals(1, linesInFile(), "the first answer reaches the file at once: --resume starts from it");
        ack(2);
        ack(3);
        assertEquals(1, linesInFile(), "the next ones wait in the buffer");
        listener.flushIfDue(System.nanoTime());
        assertEquals(1, linesInFile(), "not due yet");
        listener.flushIfDue(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250));
        assertEquals(3, linesInFile(), "nothing else came: the watchdog hands them over once they waited 200 ms");
        assertEquals("{\"type\":\"ack\",\"seq\":3,\"clientSeq\":3,\"line\":3}",
            file.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow());
        listener.flushIfDue(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        assertEquals(3, linesInFile(), "nothing waits: nothing written twice");
    }
}
