package io.ringfence.engine.commerce;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.model.Mix64;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The order content hash the decision stage used before 2026-12-06 (64 bits, a multiply and a rotate per 8-byte
 * word), and a resend crafted to collide with it: what a sender's customer could do, shown so a test can prove the
 * digest of today is not fooled the same way.
 */
final class OldContentHash {
    private static final long P = 0x100000001b3L;
    private static final long P_INVERSE = inverse(P);
    private static final int FROM = MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.orderIdEncodingOffset();
    private static final int TO = MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.labelEncodingOffset();

    private OldContentHash() {
    }

    /** The old hash of an order's JSON line (before its final mix, which is a bijection). */
    static long of(final String orderLine) {
        return Mix64.mix(unmixedOf(sbe(orderLine)));
    }

    /**
     * {@code base} (an order line without device and card) with card {@code card} and a printable device id whose last
     * eight bytes are solved so that its old hash equals {@code first}'s: the state after them is computed backwards
     * from the first's final state through the bytes that follow (the card), forwards from the bytes before.
     */
    static String collidingResend(final String first, final String base, final String card) {
        final int device = MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.deviceIdEncodingOffset();
        final int free = FROM + ((device - FROM + Long.BYTES - 1) / Long.BYTES) * Long.BYTES; // first word wholly in it
        final int solved = free + Long.BYTES;
        final String prefix = "x".repeat(free - device);
        final Random random = new Random(42);
        final byte[] target = sbe(first);
        final long goal = unmixedOf(target);
        for (int attempt = 0; attempt < 10_000_000; attempt++) {
            final StringBuilder chosen = new StringBuilder(prefix);
            for (int i = 0; i < Long.BYTES; i++) {
                chosen.append((char) ('a' + random.nextInt(26)));
            }
            final String line = withDeviceAndCard(base, chosen + "########", card);
            final byte[] b = sbe(line);
            long h = 0x9e3779b97f4a7c15L;
            for (int i = FROM; i < solved; i += Long.BYTES) {
                h = step(h, word(b, i));
            }
            long after = goal; // back from the end to the state after the solved word
            int i = FROM + ((TO - FROM) / Long.BYTES) * Long.BYTES;
            for (int t = TO - 1; t >= i; t--) {
                after = unstep(after, b[t]);
            }
            for (i -= Long.BYTES; i > solved; i -= Long.BYTES) {
                after = unstep(after, word(b, i));
            }
            final long w = (Long.rotateRight(after, 29) * P_INVERSE) ^ h;
            final StringBuilder device8 = new StringBuilder();
            for (int k = 0; k < Long.BYTES; k++) {
                final int c = (int) (w >>> (8 * k)) & 0xFF;
                if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                    break;
                }
                device8.append((char) c);
            }
            if (device8.length() == Long.BYTES) {
                return withDeviceAndCard(base, chosen.toString() + device8, card);
            }
        }
        throw new AssertionError("no printable collision found");
    }

    private static String withDeviceAndCard(final String base, final String device, final String card) {
        return base.substring(0, base.length() - 1) + ",\"deviceId\":\"" + device + "\",\"instrumentId\":\"" + card + "\"}";
    }

    private static long unmixedOf(final byte[] b) {
        long h = 0x9e3779b97f4a7c15L;
        int i = FROM;
        for (; i + Long.BYTES <= TO; i += Long.BYTES) {
            h = step(h, word(b, i));
        }
        for (; i < TO; i++) {
            h = step(h, b[i]);
        }
        return h;
    }

    private static long step(final long h, final long v) {
        return Long.rotateLeft((h ^ v) * P, 29);
    }

    private static long unstep(final long h, final long v) {
        return (Long.rotateRight(h, 29) * P_INVERSE) ^ v;
    }

    private static long word(final byte[] b, final int at) {
        return new UnsafeBuffer(b).getLong(at, ByteOrder.LITTLE_ENDIAN);
    }

    private static long inverse(final long odd) {
        long x = odd; // Newton's iteration for the inverse modulo 2^64: each step doubles the correct low bits
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    private static byte[] sbe(final String line) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
        final ParseResult result = new ParseResult();
        new JsonEventParser().parse(line, 1, 1, buffer, 0, result);
        assertFalse(result.isRejected(), () -> "test order refused: " + result);
        return buffer.byteArray();
    }
}
