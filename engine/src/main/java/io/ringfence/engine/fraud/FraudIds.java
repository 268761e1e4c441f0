package io.ringfence.engine.fraud;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The 64-bit key fraud state is kept under for an id (user, device, IP, instrument, country): a
 * hash of its bytes before the first NUL, read 8 bytes at a time (little-endian, so the same on
 * every platform) and finished with the murmur3 finaliser. About five times cheaper than the
 * byte-wise {@link io.ringfence.engine.model.Ids#hash} for the five ids of an order, which matters
 * at this stage's budget; the two are never mixed (allow and deny lists are hashed here too).
 * An empty field is {@link #ABSENT}.
 */
public final class FraudIds {
    /** The key of an empty (absent) id. */
    public static final long ABSENT = 0;

    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;
    private static final long SEED = 0x9E37_79B9_7F4A_7C15L;
    private static final long MULTIPLIER = 0xC2B2_AE3D_27D4_EB4FL;

    private FraudIds() {
    }

    /** The key of the NUL-padded id field of {@code width} bytes at {@code offset}. */
    public static long hash(final DirectBuffer buffer, final int offset, final int width) {
        if (width == 0 || buffer.getByte(offset) == 0) {
            return ABSENT;
        }
        long h = SEED;
        int i = 0;
        for (; i + 8 <= width; i += 8) {
            long w = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN);
            final long zero = (w - ONES) & ~w & HIGHS;
            if (zero != 0) {
                final int keep = Long.numberOfTrailingZeros(zero) >>> 3;
                return keep == 0 ? finish(h, i) : finish(mix(h, w & (-1L >>> (64 - 8 * keep))), i + keep);
            }
            h = mix(h, w);
        }
        long tail = 0;
        int n = 0;
        for (; i < width; i++, n++) {
            final byte b = buffer.getByte(offset + i);
            if (b == 0) {
                break;
            }
            tail |= (b & 0xFFL) << (8 * n);
        }
        if (n > 0) {
            h = mix(h, tail);
        }
        return finish(h, i);
    }

    /** The key of a string id (configuration, tests; allocates). */
    public static long hash(final String id) {
        final byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        final byte[] padded = new byte[utf8.length + 8];
        System.arraycopy(utf8, 0, padded, 0, utf8.length);
        return hash(new UnsafeBuffer(padded), 0, padded.length);
    }

    private static long mix(final long h, final long w) {
        return Long.rotateLeft((h ^ w) * MULTIPLIER, 31);
    }

    private static long finish(long h, final int length) {
        h ^= length;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == ABSENT ? 1 : h;
    }
}
