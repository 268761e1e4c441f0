package io.ringfence.gateway.session;

import io.ringfence.gateway.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundQueueTest {
    private static final int MAX_FRAME = 1024;

    private final AtomicInteger wakeUps = new AtomicInteger();
    private final OutboundQueue queue = new OutboundQueue(8 * 1024, MAX_FRAME, wakeUps::incrementAndGet);

    @Test
    void shouldFrameOffersAndDrainThemInOrderAcrossPartialWrites() throws Exception {
        final byte[] first = Frames.payment(1);
        final byte[] second = Frames.payment(2);
        assertEquals(OutboundQueue.QUEUED, offer(first));
        assertEquals(OutboundQueue.QUEUED, offer(second));
        assertEquals(2, wakeUps.get());

        final TrickleChannel channel = new TrickleChannel(7);
        while (queue.hasPending()) {
            queue.drainTo(channel);
            assertEquals(queue.writeStalled(), queue.hasPending() && channel.lastWriteFull);
        }
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);
        assertArrayEquals(expected.toByteArray(), channel.out.toByteArray());
        assertEquals(2, queue.takeFramesStaged());
    }

    @Test
    void shouldMarkTheQueueOverflowedWhenFullAndNeverBlock() {
        final byte[] frame = Frames.order(1, "o", 1);
        int queued = 0;
        while (offer(frame) == OutboundQueue.QUEUED) {
            queued++;
        }
        assertTrue(queued > 0);
        assertTrue(queue.overflowed());
    }

    @Test
    void shouldKeepRoomForACatchUpWhenAPushForACatchUpSessionFindsTheQueueFullAndNotMarkItOverflowed() throws Exception {
        final byte[] push = Frames.order(1, "o", 1);
        final UnsafeBuffer message = Frames.message(push);
        int queued = 0;
        while (queue.offerKeepingRoom(message, 0, message.capacity()) == OutboundQueue.QUEUED) {
            queued++;
        }
        assertTrue(queued > 0);
        assertFalse(queue.overflowed(), "full for pushes, but the session stays");
        // what it kept takes the CatchUp (and more small frames): a plain offer of about a kilobyte in all still fits
        final UnsafeBuffer small = Frames.message(Frames.heartbeat());
        int smallQueued = 0;
        while (queue.offer(small, 0, small.capacity()) == OutboundQueue.QUEUED) {
            smallQueued++;
        }
        assertTrue(smallQueued * 32 >= OutboundQueue.ROOM_KEPT - 64, smallQueued + " small frames fitted in the room kept");
        assertTrue(queue.overflowed(), "a plain offer that finds it full still marks it");
        // drained, pushes fit again
        final TrickleChannel channel = new TrickleChannel(1 << 20);
        while (queue.hasPending()) {
            queue.drainTo(channel);
        }
        assertEquals(OutboundQueue.QUEUED, queue.offerKeepingRoom(message, 0, message.capacity()));
    }

    /**
     * Audit: the room was counted once, but a push that does not fit before the ring's end pads to it first (up to a
     * record less one alignment); from some positions a 1,201-byte push then left 8 bytes, the CatchUp did not fit, and
     * the session was dropped instead of caught up. From every position the trials reach, after pushes fill the ring,
     * a CatchUp (and heartbeats) still fits.
     */
    @Test
    void shouldKeepRoomForTheCatchUpWhereverTheRingWraps() throws Exception {
        final TrickleChannel sink = new TrickleChannel(1 << 20);
        // the audit's case: the ring empty at byte 1,224, pushes of 1,201 bytes (1,216-byte records): the 26th pads 1,144
        final OutboundQueue at1224 = new OutboundQueue(32 * 1024, 4096, () -> { });
        final UnsafeBuffer record24 = new UnsafeBuffer(new byte[10]);
        final UnsafeBuffer record16 = new UnsafeBuffer(new byte[2]);
        assertEquals(OutboundQueue.QUEUED, at1224.offer(record24, 0, record24.capacity()));
        for (int i = 0; i < 75; i++) {
            assertEquals(OutboundQueue.QUEUED, at1224.offer(record16, 0, record16.capacity()));
        }
        while (at1224.hasPending()) {
            at1224.drainTo(sink);
        }
        final UnsafeBuffer push1201 = new UnsafeBuffer(new byte[1201]);
        int accepted = 0;
        while (at1224.offerKeepingRoom(push1201, 0, push1201.capacity()) == OutboundQueue.QUEUED) {
            accepted++;
        }
        assertEquals(OutboundQueue.QUEUED, at1224.offer(new UnsafeBuffer(new byte[45]), 0, 45),
            "the CatchUp fits after " + accepted + " pushes");
        assertFalse(at1224.overflowed());

        // and from the positions a run of trials reaches, for other sizes too
        final OutboundQueue ring = new OutboundQueue(32 * 1024, 4096, () -> { });
        final UnsafeBuffer step = new UnsafeBuffer(new byte[2]); // a 16-byte record: moves the position on by 16
        final UnsafeBuffer catchUp = new UnsafeBuffer(new byte[45]);
        for (final int size : new int[] {1201, 2040, 3000, 950}) {
            final UnsafeBuffer push = new UnsafeBuffer(new byte[size]);
            for (int trial = 0; trial < 512; trial++) {
                assertEquals(OutboundQueue.QUEUED, ring.offer(step, 0, step.capacity()));
                while (ring.hasPending()) {
                    ring.drainTo(sink);
                }
                int pushes = 0;
                while (ring.offerKeepingRoom(push, 0, push.capacity()) == OutboundQueue.QUEUED) {
                    pushes++;
                }
                assertTrue(pushes > 0);
                assertEquals(OutboundQueue.QUEUED, ring.offer(catchUp, 0, catchUp.capacity()),
                    "the CatchUp fits after " + pushes + " pushes of " + size + " bytes, trial " + trial);
                assertEquals(OutboundQueue.QUEUED, ring.offer(step, 0, step.capacity()), "and a heartbeat");
                assertFalse(ring.overflowed());
                while (ring.hasPending()) {
                    ring.drainTo(sink);
                }
                sink.out.reset();
            }
        }
    }

    @Test
    void shouldRefuseAMessageLargerThanTheMaximumFrameWithoutMarkingOverflow() {
        final UnsafeBuffer big = new UnsafeBuffer(new byte[MAX_FRAME]);
        assertEquals(OutboundQueue.TOO_LARGE, queue.offer(big, 0, big.capacity()));
        assertFalse(queue.overflowed());
        final int largest = MAX_FRAME - io.ringfence.gateway.frame.SofhHeader.LENGTH; // its frame is exactly the maximum
        assertEquals(OutboundQueue.TOO_LARGE, queue.offer(big, 0, largest + 1));
        assertEquals(OutboundQueue.QUEUED, queue.offer(big, 0, largest), "a frame of exactly the maximum is taken");
    }

    @Test
    void shouldSendTimedAnswersWithoutTheirStampsAndRecordThemOnlyOnceFullyWritten() throws Exception {
        final io.ringfence.gateway.StageLatencies stages = new io.ringfence.gateway.StageLatencies();
        final OutboundQueue timedQueue = new OutboundQueue(8 * 1024, MAX_FRAME, wakeUps::incrementAndGet, stages);
        final byte[] first = Frames.payment(1);
        final byte[] second = Frames.payment(2);
        final UnsafeBuffer m1 = Frames.message(first);
        final UnsafeBuffer m2 = Frames.message(second);
        final long received = System.nanoTime() - 50_000;
        assertEquals(OutboundQueue.QUEUED, timedQueue.offerTimed(m1, 0, m1.capacity(), received, received + 4_000, received + 10_000, received + 11_000));
        assertEquals(OutboundQueue.QUEUED, timedQueue.offerTimed(m2, 0, m2.capacity(), 0, 0, 0, 0)); // no stamps: sent plainly

        final TrickleChannel channel = new TrickleChannel(7);
        timedQueue.drainTo(channel);
        assertTrue(timedQueue.writeStalled());
        assertEquals(0, stages.take()[io.ringfence.gateway.StageLatencies.Stage.TOTAL.ordinal()].getTotalCount(),
            "not recorded while part of it is still staged");
        while (timedQueue.hasPending()) {
            timedQueue.drainTo(channel);
        }
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);
        assertArrayEquals(expected.toByteArray(), channel.out.toByteArray(), "the stamps never reach the wire");
        final org.HdrHistogram.Histogram[] h = stages.take();
        final org.HdrHistogram.Histogram total = h[io.ringfence.gateway.StageLatencies.Stage.TOTAL.ordinal()];
        assertEquals(1, total.getTotalCount(), "only the stamped answer");
        assertTrue(total.getMinValue() >= 49_000, "received -> written covers the time since received: " + total.getMinValue());
        assertEquals(4_000, h[io.ringfence.gateway.StageLatencies.Stage.RING.ordinal()].getMinValue(), 4);
        assertEquals(6_000, h[io.ringfence.gateway.StageLatencies.Stage.JOURNAL.ordinal()].getMinValue(), 6);
    }

    private int offer(final byte[] frame) {
        final UnsafeBuffer message = Frames.message(frame);
        return queue.offer(message, 0, message.capacity());
    }

    /** A socket that takes at most {@code perWrite} bytes per call. */
    private static final class TrickleChannel implements WritableByteChannel {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int perWrite;
        boolean lastWriteFull;

        TrickleChannel(final int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public int write(final ByteBuffer source) {
            final int n = Math.min(perWrite, source.remaining());
            for (int i = 0; i < n; i++) {
                out.write(source.get());
            }
            lastWriteFull = source.hasRemaining();
            return n;
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
