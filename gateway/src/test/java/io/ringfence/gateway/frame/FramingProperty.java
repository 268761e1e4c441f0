package io.ringfence.gateway.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The property the frame decoder must have on any bytes split anywhere: it returns only frame
 * lengths, NEED_MORE or its own error codes (never throws, never reads outside the bytes given),
 * and feeding the bytes in chunks through a {@link ReceiveBuffer} yields exactly the frames and
 * the outcome of decoding them all at once. Shared by the Jazzer fuzz test and the seeded
 * property test.
 */
final class FramingProperty {
    private final FrameDecoder decoder;
    private final int maxFrame;

    FramingProperty(final int maxFrame) {
        this.maxFrame = maxFrame;
        this.decoder = new FrameDecoder(MessageShapes.clientToServer(), maxFrame);
    }

    /**
     * @param input      the bytes a peer sends
     * @param chunkSizes how the network splits them (sizes &lt;= 0 are read as 1; the rest goes in one last chunk)
     */
    void check(final byte[] input, final int[] chunkSizes) {
        final Outcome whole = decodeWhole(input);
        final Outcome chunked = decodeChunked(input, chunkSizes);
        assertEquals(whole.frames.size(), chunked.frames.size(), "frame count");
        for (int i = 0; i < whole.frames.size(); i++) {
            assertArrayEquals(whole.frames.get(i), chunked.frames.get(i), "frame " + i);
        }
        assertEquals(whole.terminal, chunked.terminal, "outcome after the last frame");
    }

    private Outcome decodeWhole(final byte[] input) {
        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        final Outcome outcome = new Outcome();
        int offset = 0;
        while (true) {
            final int result = decodeExact(buffer, offset, input.length);
            if (result <= 0) {
                outcome.terminal = result;
                return outcome;
            }
            outcome.frames.add(Arrays.copyOfRange(input, offset, offset + result));
            offset += result;
        }
    }

    private Outcome decodeChunked(final byte[] input, final int[] chunkSizes) {
        final ReceiveBuffer receive = new ReceiveBuffer(maxFrame);
        final UnsafeBuffer source = new UnsafeBuffer(input);
        final Outcome outcome = new Outcome();
        int sent = 0;
        int chunk = 0;
        int result = FrameDecoder.NEED_MORE;
        while (sent < input.length) {
            final int size = chunk < chunkSizes.length ? Math.max(1, chunkSizes[chunk++]) : input.length - sent;
            int chunkLeft = Math.min(size, input.length - sent);
            while (chunkLeft > 0) {
                final int appended = receive.append(source, sent, chunkLeft);
                assertTrue(appended > 0, "a receive buffer of maxFrame bytes always has room for progress");
                sent += appended;
                chunkLeft -= appended;
                while ((result = decodeInReceiveBuffer(receive)) > 0) {
                    final byte[] frame = new byte[result];
                    receive.buffer().getBytes(receive.start(), frame);
                    outcome.frames.add(frame);
                    receive.consume(result);
                }
                if (result < 0) {
                    outcome.terminal = result;
                    return outcome;
                }
            }
        }
        outcome.terminal = result;
        return outcome;
    }

    /** Decodes in the receive buffer, and checks that a copy of exactly the held bytes decodes the same. */
    private int decodeInReceiveBuffer(final ReceiveBuffer receive) {
        final byte[] held = new byte[receive.remaining()];
        receive.buffer().getBytes(receive.start(), held);
        final int exact = decodeExact(new UnsafeBuffer(held), 0, held.length);
        final int inPlace = decoder.decode(receive.buffer(), receive.start(), receive.end());
        assertEquals(exact, inPlace, "the decoder must not look past the bytes held");
        return inPlace;
    }

    private int decodeExact(final UnsafeBuffer buffer, final int offset, final int limit) {
        final int result = decoder.decode(buffer, offset, limit);
        if (result > 0) {
            assertTrue(result >= FrameDecoder.MIN_FRAME_LENGTH && result <= maxFrame && result <= limit - offset,
                "frame length " + result + " out of range");
            assertEquals(offset + SofhHeader.LENGTH, decoder.messageOffset());
            assertEquals(result - SofhHeader.LENGTH, decoder.messageLength());
        } else if (result < 0) {
            assertTrue(-result <= FrameError.values().length, "unknown error code " + result);
            // what the Reject says: read from the bytes held alone (the buffer ends there: a read past it throws)
            final String detail = decoder.explain(buffer, offset, limit, FrameError.ofCode(result));
            assertTrue(detail != null && !detail.isEmpty(), "an explanation for " + FrameError.ofCode(result));
        }
        return result;
    }

    private static final class Outcome {
        final List<byte[]> frames = new ArrayList<>();
        int terminal;
    }
}
