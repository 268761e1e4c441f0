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

    /**
     * Slow-consumer audit of the fall-behind catch-up: an unasked CatchUp (resumeAfterSeq 0) was reported as pushes lost
     * ("WARNING: pushes from engine sequence 0 ... up to 0"), and every complete CatchUp of the session added all pushes
     * printed since the logon again (239,410 "caught up" of 25,000 printed). It is a fall-behind, no loss, and each
     * catch-up counts the pushes since its own start.
     */
    @Test
    void shouldCountEachFallBehindsCatchUpOnceAndReportNoLoss() {
        final PushPrinter all = new PushPrinter(out, Long.MAX_VALUE, stop, new PrintStream(err, true, StandardCharsets.UTF_8));
        push(all, 1);
        push(all, 2);
        all.onCatchUp(catchUp(0, -1, 2, false)); // unasked: the push of 3 did not fit
        push(all, 3);
        push(all, 4);
        all.onCatchUp(catchUp(3, 0, 4, true));
        push(all, 5); // live again
        all.onCatchUp(catchUp(0, -1, 5, false));
        push(all, 6);
        all.onCatchUp(catchUp(5, 0, 6, true));
        final String notes = err.toString(StandardCharsets.UTF_8);
        assertFalse(notes.contains("WARNING"), notes);
        assertEquals(2, all.overflows());
        assertEquals(3, all.caughtUpTotal(), "3 and 4, then 6: " + notes);
        assertTrue(notes.contains("fell behind at engine sequence 3"), notes);
        assertEquals(6, out.toString(StandardCharsets.UTF_8).lines().count());
    }

    private void push(final long seq) {
        push(printer, seq);
    }

    private static void push(final PushPrinter printer, final long seq) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final OrderStatusPushEncoder push = new OrderStatusPushEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seq(seq).eventTime(1_767_225_600_000_000L).orderId("o-" + seq).userId("u1").status(OrderState.PAID);
        printer.onPush(OrderStatusPushEncoder.TEMPLATE_ID, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + push.encodedLength());
    }

    private static CatchUpDecoder catchUp(final long after, final long heldAfter, final long through) {
        return catchUp(after, heldAfter, through, true);
    }

    private static CatchUpDecoder catchUp(final long after, final long heldAfter, final long through, final boolean complete) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        new CatchUpEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .subscriptionId(1).resumeAfterSeq(after).heldAfterSeq(heldAfter).throughSeq(through).pushes(2)
            .complete((short) (complete ? 1 : 0));
        return new CatchUpDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
    }
}
