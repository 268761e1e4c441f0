package io.ringfence.tools.subscribe;

import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.CatchUpEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusPushEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --count} reached inside a catch-up: the pushes of a catch-up come before the CatchUp that says whether pushes
 * were lost, so the printer stops only once it has come and been reported (trial 2026-12-04: {@code --resume --count 5}
 * stopped first, and the gap was never reported). Without a pending catch-up it stops at once.
 */
class PushPrinterCountTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StopSignal stop = new StopSignal();
    private final PushPrinter printer = new PushPrinter(out, 1, stop, new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void shouldWaitForThePendingCatchUpBeforeStoppingAtItsCount() {
        printer.skipRepeats(1, List.of()); // --resume: the first session resumes
        push(5);
        assertFalse(stop.isStopped(), "the count is reached, but the CatchUp is still to come");
        push(6); // the rest of the round: not printed
        printer.onCatchUp(catchUp(1, 3, 6));
        assertTrue(stop.isStopped());
        final String notes = err.toString(StandardCharsets.UTF_8);
        assertTrue(notes.contains("WARNING: pushes from engine sequence 1 (those not yet printed) up to 3"), notes);
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count(), "one push printed");
    }

    @Test
    void shouldStopAtItsCountAtOnceWhenNoCatchUpIsPending() {
        push(5);
        assertTrue(stop.isStopped());
    }

    private void push(final long seq) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final OrderStatusPushEncoder push = new OrderStatusPushEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seq(seq).eventTime(1_767_225_600_000_000L).orderId("o-" + seq).userId("u1").status(OrderState.PAID);
        printer.onPush(OrderStatusPushEncoder.TEMPLATE_ID, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + push.encodedLength());
    }

    private static CatchUpDecoder catchUp(final long after, final long heldAfter, final long through) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        new CatchUpEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .subscriptionId(1).resumeAfterSeq(after).heldAfterSeq(heldAfter).throughSeq(through).pushes(2).complete((short) 1);
        return new CatchUpDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
    }
}
