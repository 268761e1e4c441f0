package io.ringfence.gateway.frame;

import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Fingerprints tell a resend (the same bytes) from another message under the same client sequence. */
class MessageFingerprintTest {
    private static int order(final UnsafeBuffer buffer, final long amount, final String sku) {
        final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(2).eventTime(1_700_000_000_000_000L).orderId("o-2").userId("u-2").merchantId("m-1").amount(amount)
            .currency("EUR").country("DE").ip("10.0.0.1").deviceId("d-1").instrumentId("card-1").channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku(sku).qty(1).unitPrice(amount).category("cat");
        return MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
    }

    @Test
    void shouldBeTheSameForTheSameBytesInEveryJvm() {
        final UnsafeBuffer a = new UnsafeBuffer(new byte[1024]);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[2048]);
        final int length = order(a, 1_000, "sku-1");
        b.putBytes(100, a, 0, length);
        assertEquals(MessageFingerprint.of(a, 0, length), MessageFingerprint.of(b, 100, length), "position does not matter");
        // a fixed value: snapshots hold fingerprints and recovery computes them again, in other JVMs and builds
        final UnsafeBuffer fixed = new UnsafeBuffer("ringfence fingerprint: fixed input".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0x12d916c221264662L, MessageFingerprint.of(fixed, 0, fixed.capacity()));
    }

    /** The published XXH64 vectors (seed 0): the short path, the tail path and the four-lane stripes. */
    @Test
    void shouldBeXxh64() {
        assertEquals(0xEF46DB3751D8E999L, xxh64(""));
        assertEquals(0x44BC2CF5AD770999L, xxh64("abc"));
        assertEquals(0x0B242D361FDA71BCL, xxh64("The quick brown fox jumps over the lazy dog"));
    }

    private static long xxh64(final String text) {
        final UnsafeBuffer b = new UnsafeBuffer(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return MessageFingerprint.xxh64(b, 0, b.capacity(), 0);
    }

    @Test
    void shouldDifferWhenAnyByteAfterTheHeaderDiffersButNotForTheSchemaVersion() {
        final UnsafeBuffer a = new UnsafeBuffer(new byte[1024]);
        final int length = order(a, 1_000, "sku-1");
        final long original = MessageFingerprint.of(a, 0, length);
        final Set<Long> seen = new HashSet<>();
        seen.add(original);
        for (int i = 0; i < length; i++) {
            final byte was = a.getByte(i);
            a.putByte(i, (byte) (was ^ 0x01));
            final long changed = MessageFingerprint.of(a, 0, length);
            a.putByte(i, was);
            if (i == 4 || i == 5 || i == 6 || i == 7) { // schemaId, version: a client upgraded between send and resend
                assertEquals(original, changed, "header byte " + i + " is not part of the message's identity");
            } else {
                assertNotEquals(original, changed, "a flipped bit at byte " + i + " of " + length);
                seen.add(changed);
            }
        }
        assertEquals(length - 4 + 1, seen.size(), "every one-bit change gives a fingerprint of its own");
        assertNotEquals(original, MessageFingerprint.of(a, 0, order(a, 1_001, "sku-1")));
        assertNotEquals(original, MessageFingerprint.of(a, 0, length - 1), "a shorter message");
    }

    @Test
    void shouldNeverBeZeroWhichMeansUnknown() {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        assertNotEquals(0, MessageFingerprint.of(empty, 0, 0));
    }
}
