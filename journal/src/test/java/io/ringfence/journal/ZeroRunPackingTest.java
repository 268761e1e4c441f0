package io.ringfence.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroRunPackingTest {
    private static final byte GUARD = (byte) 0xA5;

    @Test
    void roundTripsPayloadsOfEveryShapeAndNeverWritesOutsideTheTarget() {
        final SplittableRandom random = new SplittableRandom(7);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer packed = new UnsafeBuffer(new byte[ZeroRunPacking.maxPackedLength(4096) + 64]);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[4200]);
        for (int trial = 0; trial < 20_000; trial++) {
            final int length = random.nextInt(trial < 2_000 ? 40 : 3000);
            final int srcOffset = random.nextInt(16);
            final double zeroShare = random.nextDouble();
            final boolean runs = random.nextBoolean();
            for (int i = 0; i < length; i++) {
                final boolean zero = runs ? (i / 37) % 2 == 0 && random.nextDouble() < zeroShare : random.nextDouble() < zeroShare;
                src.putByte(srcOffset + i, zero ? 0 : (byte) (1 + random.nextInt(255)));
            }
            final int packedOffset = random.nextInt(16);
            final int packedLength = ZeroRunPacking.pack(src, srcOffset, length, packed, packedOffset);
            assertTrue(packedLength <= ZeroRunPacking.maxPackedLength(length), "within the bound: " + packedLength);

            final int outOffset = 8 + random.nextInt(16);
            out.setMemory(0, out.capacity(), GUARD);
            ZeroRunPacking.unpack(packed, packedOffset, packedLength, out, outOffset, length);
            for (int i = 0; i < length; i++) {
                assertEquals(src.getByte(srcOffset + i), out.getByte(outOffset + i), "trial " + trial + " byte " + i + " of " + length);
            }
            for (int i = 0; i < outOffset; i++) {
                assertEquals(GUARD, out.getByte(i), "wrote before the target");
            }
            for (int i = outOffset + length; i < out.capacity(); i++) {
                assertEquals(GUARD, out.getByte(i), "wrote past the target, trial " + trial);
            }
        }
    }

    @Test
    void nulPaddedIdentifiersShrinkToTheirText() {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[36 * 4]);
        final String[] ids = {"u123", "order-000042", "dev-9", "4111-xxxx"};
        int textBytes = 0;
        for (int i = 0; i < ids.length; i++) {
            final byte[] b = ids[i].getBytes(StandardCharsets.UTF_8);
            src.putBytes(i * 36, b);
            textBytes += b.length;
        }
        final UnsafeBuffer packed = new UnsafeBuffer(new byte[ZeroRunPacking.maxPackedLength(src.capacity())]);
        final int packedLength = ZeroRunPacking.pack(src, 0, src.capacity(), packed, 0);
        assertTrue(packedLength < textBytes + 24, "144 bytes of padded ids pack to " + packedLength + " for " + textBytes + " bytes of text");
    }

    @Test
    void allZeroPayloadPacksToNothingAndLongRunsSplitAt256Words() {
        final UnsafeBuffer zeros = new UnsafeBuffer(new byte[8 * 1000]);
        final UnsafeBuffer packed = new UnsafeBuffer(new byte[ZeroRunPacking.maxPackedLength(8000)]);
        assertEquals(8, ZeroRunPacking.pack(zeros, 0, 8000, packed, 0), "1000 zero words: runs of 256, 256, 256, 232");
        zeros.putByte(7999, (byte) 1);
        final int n = ZeroRunPacking.pack(zeros, 0, 8000, packed, 0);
        assertEquals(4 * 2 + 2, n, "999 zero words = runs of 256+256+256+231, then the last word's tag and byte");
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8000]);
        out.setMemory(0, 8000, GUARD);
        ZeroRunPacking.unpack(packed, 0, n, out, 0, 8000);
        assertEquals(1, out.getByte(7999));
        assertEquals(0, out.getByte(0));
        assertEquals(0, out.getByte(7998));
    }

    @Test
    void damagedPackedBytesAreRefusedNotOverrun() {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 64; i++) {
            src.putByte(i, (byte) (i % 3 == 0 ? 0 : i));
        }
        final UnsafeBuffer packed = new UnsafeBuffer(new byte[ZeroRunPacking.maxPackedLength(64)]);
        final int n = ZeroRunPacking.pack(src, 0, 64, packed, 0);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        assertThrows(IllegalArgumentException.class, () -> ZeroRunPacking.unpack(packed, 0, n - 1, out, 0, 64), "cut inside a word");
        assertThrows(IllegalArgumentException.class, () -> ZeroRunPacking.unpack(packed, 0, n, out, 0, 40), "decodes past a shorter length");
        final UnsafeBuffer run = new UnsafeBuffer(new byte[] {0, (byte) 200});
        assertThrows(IllegalArgumentException.class, () -> ZeroRunPacking.unpack(run, 0, 2, out, 0, 64), "zero run longer than the payload");
        assertThrows(IllegalArgumentException.class, () -> ZeroRunPacking.unpack(run, 0, 1, out, 0, 64), "zero run without its count");
    }
}
