package io.ringfence.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * Packs runs of zero bytes out of a payload before it is journaled, and restores them on read.
 * The scheme is Cap'n Proto's "packed" encoding without its literal-run case: the input is read
 * as little-endian 8-byte words (a final partial word is read as if padded with zeros); each word
 * becomes a tag byte whose bit {@code i} says byte {@code i} is non-zero, followed by the non-zero
 * bytes in order. A zero word's tag is followed by a count (0..255) of further zero words. A zero
 * final partial word is left out (the unpacker zero-fills up to the known length).
 *
 * <p>Why: SBE messages with fixed-width, NUL-padded identifiers are mostly zeros (a 36-byte id
 * holding "u123" is 32 zero bytes), and on this kind of machine the journal's cost is dominated
 * by the kernel's work per page of memory-mapped file touched, so bytes written are time. The
 * shop mix of events shrinks by about two thirds. Generic and deterministic: it knows nothing
 * of the payload's meaning. Worst case (no zero bytes at all) is 9/8 of the input plus 1.
 */
public final class ZeroRunPacking {
    private static final boolean NATIVE_LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    /** Gathers bit 8k of a word into bit 56+k (the top byte): a movemask without intrinsics. */
    private static final long GATHER = 0x0102040810204080L;

    private ZeroRunPacking() {
    }

    /** Largest packed size of {@code length} input bytes. */
    public static int maxPackedLength(final int length) {
        final int words = (length + 7) >>> 3;
        return words * 9 + 1;
    }

    /**
     * Packs {@code src[srcOffset, srcOffset + length)} into {@code dst} at {@code dstOffset}, which
     * must have room for {@link #maxPackedLength(int)} bytes (checked once; the loop then works on
     * raw memory, since per-byte bounds checks cost as much as the packing).
     *
     * @return the packed length
     */
    public static int pack(final DirectBuffer src, final int srcOffset, final int length,
                           final MutableDirectBuffer dst, final int dstOffset) {
        src.boundsCheck(srcOffset, length);
        dst.boundsCheck(dstOffset, maxPackedLength(length));
        final byte[] srcArray = src.byteArray();
        final long srcBase = src.addressOffset() + srcOffset;
        final byte[] dstArray = dst.byteArray();
        final long dstBase = dst.addressOffset() + dstOffset;
        final long fullEnd = srcBase + (length & ~7);
        long in = srcBase;
        long out = dstBase;
        while (in < fullEnd) {
            final long word = getLong(srcArray, in);
            in += 8;
            if (word == 0) {
                int run = 0;
                while (run < 255 && in < fullEnd && getLong(srcArray, in) == 0) {
                    run++;
                    in += 8;
                }
                UnsafeApi.putByte(dstArray, out, (byte) 0);
                UnsafeApi.putByte(dstArray, out + 1, (byte) run);
                out += 2;
            } else {
                out = putWord(dstArray, out, word);
            }
        }
        final int tail = (int) (srcBase + length - in);
        if (tail > 0) {
            long word = 0;
            for (int i = 0; i < tail; i++) {
                word |= (UnsafeApi.getByte(srcArray, in + i) & 0xFFL) << (i << 3);
            }
            if (word != 0) {
                out = putWord(dstArray, out, word);
            }
        }
        return (int) (out - dstBase);
    }

    private static long getLong(final byte[] array, final long address) {
        final long word = UnsafeApi.getLong(array, address);
        return NATIVE_LITTLE ? word : Long.reverseBytes(word);
    }

    private static void putLong(final byte[] array, final long address, final long word) {
        UnsafeApi.putLong(array, address, NATIVE_LITTLE ? word : Long.reverseBytes(word));
    }

    /** Writes one non-zero word's tag and bytes at {@code at}; there are 9 bytes of room. */
    private static long putWord(final byte[] dst, final long at, final long word) {
        final long nonZero = (((word & LOW7) + LOW7) | word) & HIGH;
        final int tag = (int) (((nonZero >>> 7) * GATHER) >>> 56);
        UnsafeApi.putByte(dst, at, (byte) tag);
        long out = at + 1;
        if ((tag & (tag + 1)) == 0) {
            // non-zero bytes are the low ones (a full word, a small number, the end of a text): write the
            // whole word and keep its significant bytes; the rest is overwritten next
            putLong(dst, out, word);
            return out + Integer.bitCount(tag);
        }
        // scattered non-zero bytes: store every byte, advance only past the non-zero ones (branch-free;
        // a loop over the set bits mispredicts its exit on almost every word)
        UnsafeApi.putByte(dst, out, (byte) word);
        out += tag & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 8));
        out += (tag >>> 1) & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 16));
        out += (tag >>> 2) & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 24));
        out += (tag >>> 3) & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 32));
        out += (tag >>> 4) & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 40));
        out += (tag >>> 5) & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 48));
        out += (tag >>> 6) & 1;
        UnsafeApi.putByte(dst, out, (byte) (word >>> 56));
        out += (tag >>> 7) & 1;
        return out;
    }

    /**
     * Unpacks {@code src[srcOffset, srcOffset + packedLength)} into exactly {@code length} bytes at
     * {@code dst[dstOffset]} (zero-filling what the packed form left implicit).
     *
     * @throws IllegalArgumentException when the packed bytes do not decode to {@code length} bytes
     */
    public static void unpack(final DirectBuffer src, final int srcOffset, final int packedLength,
                              final MutableDirectBuffer dst, final int dstOffset, final int length) {
        src.boundsCheck(srcOffset, packedLength);
        dst.boundsCheck(dstOffset, length);
        final byte[] srcArray = src.byteArray();
        final long srcBase = src.addressOffset() + srcOffset;
        final long inEnd = srcBase + packedLength;
        final long wideReadEnd = src.addressOffset() + src.capacity() - 8;
        final byte[] dstArray = dst.byteArray();
        final long dstBase = dst.addressOffset() + dstOffset;
        final long outEnd = dstBase + length;
        long in = srcBase;
        long out = dstBase;
        while (in < inEnd) {
            final int tag = UnsafeApi.getByte(srcArray, in++) & 0xFF;
            if (tag == 0) {
                if (in >= inEnd) {
                    throw new IllegalArgumentException("packed payload ends inside a zero run at byte " + (in - srcBase));
                }
                final int words = 1 + (UnsafeApi.getByte(srcArray, in++) & 0xFF);
                if (out + ((long) words << 3) > outEnd) {
                    throw new IllegalArgumentException("zero run of " + words + " words overflows the payload length " + length);
                }
                UnsafeApi.setMemory(dstArray, out, (long) words << 3, (byte) 0);
                out += (long) words << 3;
                continue;
            }
            final int count = Integer.bitCount(tag);
            if (in + count > inEnd) {
                throw new IllegalArgumentException("packed payload ends inside a word at byte " + (in - srcBase));
            }
            long word;
            if ((tag & (tag + 1)) == 0 && in <= wideReadEnd) {
                word = getLong(srcArray, in);
                if (count < 8) {
                    word &= (1L << (count << 3)) - 1;
                }
                in += count;
            } else {
                word = 0;
                int bits = tag;
                while (bits != 0) {
                    final int i = Integer.numberOfTrailingZeros(bits);
                    word |= (UnsafeApi.getByte(srcArray, in++) & 0xFFL) << (i << 3);
                    bits &= bits - 1;
                }
            }
            final long room = outEnd - out;
            if (room >= 8) {
                putLong(dstArray, out, word);
                out += 8;
            } else if (room > 0 && (word >>> (room << 3)) == 0) {
                for (int i = 0; i < room; i++) {
                    UnsafeApi.putByte(dstArray, out + i, (byte) (word >>> (i << 3)));
                }
                out += room;
            } else {
                throw new IllegalArgumentException("packed payload decodes past the payload length " + length);
            }
        }
        if (out < outEnd) {
            UnsafeApi.setMemory(dstArray, out, outEnd - out, (byte) 0);
        }
    }
}
