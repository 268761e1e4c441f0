package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.FrameDecoder;
import io.ringfence.gateway.frame.MessageShapes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnackedRingTest {
    private static final UnsafeBuffer ORDER = Messages.order();
    private static final int FRAME = ORDER.capacity() + 6;

    private final UnackedRing ring = new UnackedRing(1024);
    private final Capture wire = new Capture(Integer.MAX_VALUE);

    @Test
    void shouldWrapAFrameThatDoesNotFitTheEndOfTheBufferToItsStart() throws Exception {
        assertEquals(1, ring.append(ORDER, 0, ORDER.capacity()));
        assertEquals(2, ring.append(ORDER, 0, ORDER.capacity()));
        assertEquals(UnackedRing.BACK_PRESSURED, ring.append(ORDER, 0, ORDER.capacity()),
            "a third frame needs the padding to the end plus a whole frame");
        writeAll();
        assertEquals(1, ring.release(1, ring.sendPosition()));

        assertEquals(3, ring.append(ORDER, 0, ORDER.capacity()), "fits at the start once the first is released");
        writeAll();

        assertEquals(List.of(1L, 2L, 3L), wire.clientSeqs(), "frames leave whole and in order, padding skipped");
        assertEquals(2, ring.firstKeptSeq());
    }

    /**
     * Client review of 2026-12-06: after a reconnect the answers to what the lost connection sent arrive while the
     * rewound frames wait to be written again; they were acknowledged but kept (the release stops at the write
     * position), and their resends' answers, repeats, released nothing: a full store refused every send for good.
     */
    @Test
    void shouldLetGoOfFramesAnsweredBeforeTheirResendWasWritten() throws Exception {
        final UnackedRing full = new UnackedRing(1024);
        final int frames = 1024 / FRAME;
        for (int i = 1; i <= frames; i++) {
            assertEquals(i, full.append(ORDER, 0, ORDER.capacity()));
        }
        assertEquals(UnackedRing.BACK_PRESSURED, full.append(ORDER, 0, ORDER.capacity()), "full");
        final Capture first = new Capture(Integer.MAX_VALUE);
        while (full.writeTo(first) > 0) {
            // the connection that is lost sends them all
        }
        full.rewind(); // the reconnect's logon: every kept frame is to be written again
        assertEquals(0, full.release(frames - 1, full.sendPosition()), "answers on the new connection: nothing is written yet");
        assertEquals(frames - 1, full.ackedSeq(), "but they are answered");

        final Capture second = new Capture(Integer.MAX_VALUE);
        while (full.writeTo(second) > 0) {
            // the resend
        }
        assertEquals(List.of((long) frames), second.clientSeqs(), "only the unanswered one is written again");
        assertEquals(frames, full.firstKeptSeq(), "the answered ones are let go");
        assertEquals(frames + 1, full.append(ORDER, 0, ORDER.capacity()), "room again");
    }

    @Test
    void shouldHoldNoMoreThanItsLimitWhichCanBeRaisedAgainUpToTheCapacity() throws Exception {
        final UnackedRing big = new UnackedRing(8 * 1024);
        big.limit(3 * FRAME); // what the server said it holds for the session
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, big.append(ORDER, 0, ORDER.capacity()));
        }
        assertEquals(UnackedRing.BACK_PRESSURED, big.append(ORDER, 0, ORDER.capacity()), "a fourth is over the limit");
        big.limit(1 << 20);
        assertEquals(8 * 1024, big.limit(), "never above the capacity");
        assertEquals(4, big.append(ORDER, 0, ORDER.capacity()), "a server holding more lets more be kept");
    }

    @Test
    void shouldFingerprintTheKeptFrameOfASequenceAsTheServerDoesItsMessage() throws Exception {
        assertEquals(1, ring.append(ORDER, 0, ORDER.capacity()));
        assertEquals(2, ring.append(ORDER, 0, ORDER.capacity()));
        writeAll();
        assertEquals(1, ring.release(1, ring.sendPosition()));
        assertEquals(3, ring.append(ORDER, 0, ORDER.capacity()), "behind the padding, at the buffer's start");

        final UnsafeBuffer sent = new UnsafeBuffer(new byte[ORDER.capacity()]);
        sent.putBytes(0, ORDER, 0, ORDER.capacity());
        for (long seq = 2; seq <= 3; seq++) {
            sent.putLong(8, seq, ByteOrder.LITTLE_ENDIAN); // the clientSeq the ring wrote into the message
            assertEquals(io.ringfence.gateway.frame.MessageFingerprint.of(sent, 0, sent.capacity()), ring.fingerprintOf(seq),
                "frame " + seq + ": the message as sent, SOFH header left out");
        }
        assertTrue(ring.fingerprintOf(2) != ring.fingerprintOf(3), "the clientSeq is part of it");
        assertEquals(0, ring.fingerprintOf(1), "released");
        assertEquals(0, ring.fingerprintOf(4), "not assigned yet");
    }

    @Test
    void shouldReleaseOnlyFramesWrittenWholeAndUpToTheAcknowledgedSeq() throws Exception {
        for (int i = 0; i < 2; i++) {
            ring.append(ORDER, 0, ORDER.capacity());
        }
        final Capture slow = new Capture(100);
        assertTrue(ring.writeTo(slow) > 0);
        assertFalse(ring.atFrameBoundary(), "stopped inside the first frame");

        assertEquals(0, ring.release(2, ring.sendPosition()), "a frame not wholly written is kept");
        while (ring.sendPosition() < FRAME + 50) {
            ring.writeTo(slow);
        }
        assertEquals(1, ring.release(2, ring.sendPosition()), "only the whole frame before the send position goes");
        assertEquals(2, ring.firstKeptSeq());
    }

    @Test
    void shouldWriteKeptFramesAgainAfterARewind() throws Exception {
        for (int i = 0; i < 2; i++) {
            ring.append(ORDER, 0, ORDER.capacity());
        }
        writeAll();
        ring.release(1, ring.sendPosition());

        ring.rewind();
        writeAll();

        assertEquals(List.of(1L, 2L, 2L), wire.clientSeqs(), "the unacknowledged frame is written again");
        assertEquals(1, ring.countFrames(FRAME, 2L * FRAME));
    }

    @Test
    void shouldNumberAfterTheJournaledSeqAndTrackAcknowledgements() {
        ring.startAfter(41);
        assertEquals(42, ring.append(ORDER, 0, ORDER.capacity()));
        assertEquals(41, ring.ackedSeq());
        assertEquals(1, ring.releaseAll(42), "a LogonAck may acknowledge frames not written on this connection");
        assertEquals(42, ring.ackedSeq());
        assertEquals(0, ring.usedBytes());
        assertEquals(43, ring.firstKeptSeq());
    }

    private void writeAll() throws Exception {
        while (ring.hasUnsent()) {
            ring.writeTo(wire);
        }
    }

    /** A channel that records what is written, taking at most {@code maxPerWrite} bytes per call. */
    private static final class Capture implements WritableByteChannel {
        private final int maxPerWrite;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Capture(final int maxPerWrite) {
            this.maxPerWrite = maxPerWrite;
        }

        @Override
        public int write(final ByteBuffer source) {
            final int n = Math.min(maxPerWrite, source.remaining());
            final byte[] chunk = new byte[n];
            source.get(chunk);
            bytes.write(chunk, 0, n);
            return n;
        }

        List<Long> clientSeqs() {
            final UnsafeBuffer written = new UnsafeBuffer(bytes.toByteArray());
            final FrameDecoder decoder = new FrameDecoder(MessageShapes.clientToServer(), 4096);
            final List<Long> seqs = new ArrayList<>();
            int offset = 0;
            while (offset < written.capacity()) {
                final int length = decoder.decode(written, offset, written.capacity());
                assertTrue(length > 0, "a valid whole frame at " + offset + ": " + length);
                seqs.add(written.getLong(offset + UnackedRing.CLIENT_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN));
                offset += length;
            }
            return seqs;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
