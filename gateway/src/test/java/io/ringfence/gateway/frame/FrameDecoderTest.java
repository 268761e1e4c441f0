package io.ringfence.gateway.frame;

import io.ringfence.gateway.testing.Frames;
import io.ringfence.sbe.LogonDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.ringfence.gateway.testing.Frames.BLOCK_LENGTH_AT;
import static io.ringfence.gateway.testing.Frames.SCHEMA_ID_AT;
import static io.ringfence.gateway.testing.Frames.TEMPLATE_ID_AT;
import static io.ringfence.gateway.testing.Frames.VERSION_AT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameDecoderTest {
    private static final int MAX_FRAME = 4096;

    private final FrameDecoder decoder = new FrameDecoder(MessageShapes.clientToServer(), MAX_FRAME);

    @Test
    void shouldDecodeAWholeFrameInPlace() {
        final byte[] frame = Frames.order(42, "o-1", 2);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100 + frame.length]);
        buffer.putBytes(100, frame);

        assertEquals(frame.length, decoder.decode(buffer, 100, 100 + frame.length));
        assertEquals(OrderDecoder.TEMPLATE_ID, decoder.templateId());
        assertEquals(106, decoder.messageOffset());
        assertEquals(frame.length - 6, decoder.messageLength());
        assertEquals(OrderDecoder.BLOCK_LENGTH, decoder.blockLength());
        assertEquals(42, buffer.getLong(decoder.messageOffset() + 8, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void shouldNeedMoreForEveryProperPrefix() {
        final byte[] frame = Frames.logon("shop", "0123456789abcdef");
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        for (int limit = 0; limit < frame.length; limit++) {
            assertEquals(FrameDecoder.NEED_MORE, decoder.decode(buffer, 0, limit), "prefix of " + limit);
        }
        assertEquals(frame.length, decoder.decode(buffer, 0, frame.length));
        assertEquals(LogonDecoder.TEMPLATE_ID, decoder.templateId());
    }

    @Test
    void shouldFrameTwoMessagesInOnePacket() {
        final byte[] first = Frames.heartbeat();
        final byte[] second = Frames.payment(9);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[first.length + second.length]);
        buffer.putBytes(0, first);
        buffer.putBytes(first.length, second);

        assertEquals(first.length, decoder.decode(buffer, 0, buffer.capacity()));
        assertEquals(second.length, decoder.decode(buffer, first.length, buffer.capacity()));
        assertEquals(9, buffer.getLong(decoder.messageOffset() + 8, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void shouldRefuseZeroAndTooSmallLengthsAndTakeTheLengthAsUnsigned() {
        final byte[] frame = Frames.heartbeat();
        assertError(FrameError.BAD_LENGTH, Frames.withLength(frame, 0));
        assertError(FrameError.TOO_LARGE, Frames.withLength(frame, -1)); // 0xFFFFFFFF: 4 GiB, not negative
        assertError(FrameError.TOO_LARGE, Frames.withLength(frame, 0x8000_0000));
        assertError(FrameError.TOO_LARGE, Frames.withLength(frame, 0xFFFF_FFF0));
        assertError(FrameError.BAD_LENGTH, Frames.withLength(frame, 6));
        assertError(FrameError.BAD_LENGTH, Frames.withLength(frame, FrameDecoder.MIN_FRAME_LENGTH - 1));
    }

    @Test
    void shouldRefuseALengthAboveTheMaximumFromTheLengthFieldAlone() {
        final byte[] header = {0, 0, 0x10, 0x01};
        assertError(FrameError.TOO_LARGE, header);
    }

    @Test
    void shouldRefuseBigEndianAndOtherEncodingTypes() {
        assertError(FrameError.BAD_ENCODING_TYPE, Frames.withEncodingType(Frames.heartbeat(), SofhHeader.SBE_BIG_ENDIAN));
        assertError(FrameError.BAD_ENCODING_TYPE, Frames.withEncodingType(Frames.heartbeat(), 0x0001));
    }

    @Test
    void shouldRefuseAnotherSchemaANewerVersionAndUnknownTemplatesFromTheHeader() {
        final byte[] order = Frames.order(1, "o", 0);
        assertError(FrameError.UNKNOWN_SCHEMA, prefix(Frames.withShort(order, SCHEMA_ID_AT, 7002), 14));
        assertError(FrameError.UNSUPPORTED_VERSION,
            prefix(Frames.withShort(order, VERSION_AT, MessageHeaderDecoder.SCHEMA_VERSION + 1), 14));
        assertError(FrameError.UNKNOWN_TEMPLATE, prefix(Frames.withShort(order, TEMPLATE_ID_AT, 99), 14));
        assertError(FrameError.UNKNOWN_TEMPLATE, prefix(Frames.withShort(order, TEMPLATE_ID_AT, 20), 14));
    }

    @Test
    void shouldLetAClientReadANewerServersMessageByItsActingBlockLength() {
        // SBE's rule for a field added at the end: a newer version's longer block, read as far as this build knows it
        final byte[] heartbeat = Frames.heartbeat(1234L);
        final byte[] newer = java.util.Arrays.copyOf(heartbeat, heartbeat.length + 8);
        final int blockLength = (heartbeat[BLOCK_LENGTH_AT] & 0xFF) | (heartbeat[BLOCK_LENGTH_AT + 1] & 0xFF) << 8;
        final byte[] frame = Frames.withShort(Frames.withShort(Frames.withLength(newer, newer.length), BLOCK_LENGTH_AT, blockLength + 8),
            VERSION_AT, MessageHeaderDecoder.SCHEMA_VERSION + 1);
        final FrameDecoder client = new FrameDecoder(MessageShapes.serverToClient(), MAX_FRAME);
        assertEquals(frame.length, client.decode(new UnsafeBuffer(frame), 0, frame.length));
        assertEquals(blockLength + 8, client.blockLength());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION + 1, client.version());
        assertEquals(1234L, new UnsafeBuffer(frame).getLong(client.messageOffset() + 8, ByteOrder.LITTLE_ENDIAN));
        assertEquals(FrameError.UNSUPPORTED_VERSION.code(), decoder.decode(new UnsafeBuffer(frame), 0, frame.length),
            "the server refuses a newer client's frame");
    }

    /** {@code frame}, a whole frame of a message whose block is {@code wholeBlock} bytes, cut to an older version's {@code block}. */
    private static byte[] olderBlock(final byte[] frame, final int wholeBlock, final int block, final int version) {
        final int dropped = wholeBlock - block;
        return Frames.withShort(Frames.withShort(Frames.withLength(prefix(frame, frame.length - dropped), frame.length - dropped),
            BLOCK_LENGTH_AT, block), VERSION_AT, version);
    }

    @Test
    void shouldTakeAnOlderClientsSubscribeWithoutTheFieldsAddedSince() {
        // a version-1 client's Subscribe stops before the resume fields (version 2): the server reads it (SBE's rule),
        // the fields then read as their null values
        final byte[] subscribe = Frames.subscribe(0);
        final int v1Block = io.ringfence.sbe.SubscribeDecoder.resumeAfterSeqEncodingOffset();
        final byte[] older = olderBlock(subscribe, io.ringfence.sbe.SubscribeDecoder.BLOCK_LENGTH, v1Block, 1);
        assertEquals(older.length, decoder.decode(new UnsafeBuffer(older), 0, older.length));
        assertEquals(v1Block, decoder.blockLength());
        final io.ringfence.sbe.SubscribeDecoder read = new io.ringfence.sbe.SubscribeDecoder()
            .wrap(new UnsafeBuffer(older), decoder.messageOffset() + 8, decoder.blockLength(), decoder.version());
        assertEquals(7, read.subscriptionId());
        assertEquals(io.ringfence.sbe.SubscribeDecoder.resumeAfterSeqNullValue(), read.resumeAfterSeq(), "absent: live only");
        // the same short block under a version-2 header: refused (its decoder would read the resume fields past it)
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withShort(older, VERSION_AT, 2));
        // shorter than the oldest version's block: refused
        final byte[] tooShort = Frames.withShort(Frames.withLength(prefix(older, older.length - 8), older.length - 8),
            BLOCK_LENGTH_AT, v1Block - 8);
        assertError(FrameError.BODY_LENGTH_MISMATCH, tooShort);
    }

    @Test
    void shouldTakeAVersion4SubscribeWithoutOnOverflowAndRefuseThatBlockUnderVersion5() {
        // version 5 added onOverflow at the end of Subscribe's block: a version 2-4 client's stops before it
        final byte[] subscribe = Frames.subscribe(0);
        final int v4Block = io.ringfence.sbe.SubscribeDecoder.onOverflowEncodingOffset();
        final byte[] older = olderBlock(subscribe, io.ringfence.sbe.SubscribeDecoder.BLOCK_LENGTH, v4Block, 4);
        assertEquals(older.length, decoder.decode(new UnsafeBuffer(older), 0, older.length));
        final io.ringfence.sbe.SubscribeDecoder read = new io.ringfence.sbe.SubscribeDecoder()
            .wrap(new UnsafeBuffer(older), decoder.messageOffset() + 8, decoder.blockLength(), decoder.version());
        assertEquals(io.ringfence.sbe.OnOverflow.NULL_VAL, read.onOverflow(), "absent");
        assertEquals(older.length, decoder.decode(new UnsafeBuffer(Frames.withShort(older, VERSION_AT, 2)), 0, older.length),
            "a version-2 client's is the same block");
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withShort(older, VERSION_AT, 5));
    }

    @Test
    void shouldTakeAVersion5LogonWithoutAnsweredClientSeqAndRefuseThatBlockUnderVersion6() {
        // version 6 added answeredClientSeq at the end of Logon's block, before the secret (var data): a version 1-5
        // client's block stops before it
        final byte[] whole = Frames.logon("shop-1", "s3cret");
        final int v5Block = io.ringfence.sbe.LogonDecoder.answeredClientSeqEncodingOffset();
        final int blockAt = io.ringfence.gateway.frame.SofhHeader.LENGTH + io.ringfence.sbe.MessageHeaderDecoder.ENCODED_LENGTH;
        final byte[] cut = new byte[whole.length - 8];
        System.arraycopy(whole, 0, cut, 0, blockAt + v5Block);
        System.arraycopy(whole, blockAt + v5Block + 8, cut, blockAt + v5Block, whole.length - blockAt - v5Block - 8);
        final byte[] older = Frames.withShort(Frames.withShort(Frames.withLength(cut, cut.length), BLOCK_LENGTH_AT, v5Block),
            VERSION_AT, 5);
        assertEquals(older.length, decoder.decode(new UnsafeBuffer(older), 0, older.length));
        final io.ringfence.sbe.LogonDecoder read = new io.ringfence.sbe.LogonDecoder()
            .wrap(new UnsafeBuffer(older), decoder.messageOffset() + 8, decoder.blockLength(), decoder.version());
        assertEquals("shop-1", read.clientId());
        assertEquals(io.ringfence.sbe.LogonDecoder.answeredClientSeqNullValue(), read.answeredClientSeq(), "absent: nothing claimed");
        assertEquals("s3cret", read.secret());
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withShort(older, VERSION_AT, 6));
    }

    @Test
    void shouldLetAClientReadAnOlderServersLogonAckWithoutTheFingerprint() {
        // a version-2 server's LogonAck stops before lastJournaledFingerprint (version 3): read, the field null (unknown)
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final io.ringfence.sbe.LogonAckEncoder ack = new FrameEncoder().begin(buffer, 0, new io.ringfence.sbe.LogonAckEncoder())
            .putClientId(new byte[io.ringfence.sbe.LogonAckEncoder.clientIdLength()], 0).role(io.ringfence.sbe.Role.SUBMIT)
            .lastJournaledClientSeq(41).heartbeatMillis(1_000).engineSeq(99).lastJournaledFingerprint(12345);
        final int length = FrameEncoder.frame(buffer, 0, ack);
        final int v2Block = io.ringfence.sbe.LogonAckDecoder.lastJournaledFingerprintEncodingOffset();
        final byte[] whole = java.util.Arrays.copyOf(buffer.byteArray(), length);
        final byte[] older = olderBlock(whole, io.ringfence.sbe.LogonAckDecoder.BLOCK_LENGTH, v2Block, 2);
        final FrameDecoder client = new FrameDecoder(MessageShapes.serverToClient(), MAX_FRAME);
        assertEquals(older.length, client.decode(new UnsafeBuffer(older), 0, older.length));
        final io.ringfence.sbe.LogonAckDecoder read = new io.ringfence.sbe.LogonAckDecoder()
            .wrap(new UnsafeBuffer(older), client.messageOffset() + 8, client.blockLength(), client.version());
        assertEquals(41, read.lastJournaledClientSeq());
        assertEquals(99, read.engineSeq());
        assertEquals(io.ringfence.sbe.LogonAckDecoder.lastJournaledFingerprintNullValue(), read.lastJournaledFingerprint());
        assertEquals(FrameError.BODY_LENGTH_MISMATCH.code(), client.decode(new UnsafeBuffer(Frames.withShort(older, VERSION_AT, 3)),
            0, older.length), "the same short block under a version-3 header: refused");

        // a version 3-4 server's stops before maxFrameBytes and outboundBufferBytes (version 5): read, both null (unknown)
        final int v4Block = io.ringfence.sbe.LogonAckDecoder.maxFrameBytesEncodingOffset();
        final byte[] v4 = olderBlock(whole, io.ringfence.sbe.LogonAckDecoder.BLOCK_LENGTH, v4Block, 4);
        assertEquals(v4.length, client.decode(new UnsafeBuffer(v4), 0, v4.length));
        final io.ringfence.sbe.LogonAckDecoder read4 = new io.ringfence.sbe.LogonAckDecoder()
            .wrap(new UnsafeBuffer(v4), client.messageOffset() + 8, client.blockLength(), client.version());
        assertEquals(12345, read4.lastJournaledFingerprint());
        assertEquals(io.ringfence.sbe.LogonAckDecoder.maxFrameBytesNullValue(), read4.maxFrameBytes());
        assertEquals(io.ringfence.sbe.LogonAckDecoder.outboundBufferBytesNullValue(), read4.outboundBufferBytes());
        assertEquals(FrameError.BODY_LENGTH_MISMATCH.code(), client.decode(new UnsafeBuffer(Frames.withShort(v4, VERSION_AT, 5)),
            0, v4.length), "the same short block under a version-5 header: refused");
    }

    /**
     * Schema version 4 added overcount at the end of WindowResult's topItems entries: a version-3 server's entries stop
     * before it and are read (overcount null); the same short entries under a version-4 header are refused, as a decoder
     * of that version would read the field past each entry.
     */
    @Test
    void shouldLetAClientReadAnOlderServersTopItemsWithoutTheOvercount() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final io.ringfence.sbe.WindowResultEncoder result = new FrameEncoder().begin(buffer, 0, new io.ringfence.sbe.WindowResultEncoder())
            .seq(7).count(3).window("w").currency("EUR");
        result.metricsCount(0);
        final io.ringfence.sbe.WindowResultEncoder.TopItemsEncoder top = result.topItemsCount(2);
        top.next().metric("topkSku").item("a").occurrences(5).overcount(1);
        top.next().metric("topkSku").item("b").occurrences(2).overcount(0);
        result.key("k");
        final int length = FrameEncoder.frame(buffer, 0, result);
        final byte[] whole = java.util.Arrays.copyOf(buffer.byteArray(), length);
        // the same message as a version-3 server wrote it: each topItems entry 8 bytes shorter
        final int entry = io.ringfence.sbe.WindowResultDecoder.TopItemsDecoder.sbeBlockLength();
        final int v3Entry = io.ringfence.sbe.WindowResultDecoder.TopItemsDecoder.overcountEncodingOffset();
        final int topAt = 14 + io.ringfence.sbe.WindowResultDecoder.BLOCK_LENGTH + 4; // SOFH 6 + SBE header 8, block, empty metrics group
        final java.io.ByteArrayOutputStream older = new java.io.ByteArrayOutputStream();
        older.write(whole, 0, topAt);
        older.write(v3Entry & 0xFF);
        older.write(v3Entry >>> 8);
        older.write(2);
        older.write(0);
        older.write(whole, topAt + 4, v3Entry);
        older.write(whole, topAt + 4 + entry, v3Entry);
        older.write(whole, topAt + 4 + 2 * entry, length - (topAt + 4 + 2 * entry));
        final byte[] v3 = Frames.withShort(Frames.withLength(older.toByteArray(), older.size()), VERSION_AT, 3);
        final FrameDecoder client = new FrameDecoder(MessageShapes.serverToClient(), MAX_FRAME);
        assertEquals(v3.length, client.decode(new UnsafeBuffer(v3), 0, v3.length));
        final io.ringfence.sbe.WindowResultDecoder read = new io.ringfence.sbe.WindowResultDecoder()
            .wrap(new UnsafeBuffer(v3), client.messageOffset() + 8, client.blockLength(), client.version());
        read.metrics();
        final io.ringfence.sbe.WindowResultDecoder.TopItemsDecoder items = read.topItems();
        assertEquals(2, items.count());
        items.next();
        assertEquals(5, items.occurrences());
        assertEquals(io.ringfence.sbe.WindowResultDecoder.TopItemsDecoder.overcountNullValue(), items.overcount());
        assertEquals("b", items.next().item());
        assertEquals("k", read.key());
        assertEquals(whole.length, client.decode(new UnsafeBuffer(whole), 0, whole.length), "this version's message");
        assertEquals(FrameError.BODY_LENGTH_MISMATCH.code(), client.decode(new UnsafeBuffer(Frames.withShort(v3, VERSION_AT, 4)),
            0, v3.length), "the short entries under a version-4 header: refused");
    }

    @Test
    void shouldRefuseABlockLengthThatDoesNotFitTheFrame() {
        final byte[] payment = Frames.payment(1);
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withShort(payment, BLOCK_LENGTH_AT, payment.length));
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withShort(payment, BLOCK_LENGTH_AT, 8));
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withLength(payment, payment.length - 1));
    }

    @Test
    void shouldRefuseATruncatedBodyOnceTheFrameIsComplete() {
        final byte[] order = Frames.order(1, "o", 3);
        final byte[] truncated = Frames.withLength(prefix(order, order.length - 10), order.length - 10);
        assertError(FrameError.BODY_LENGTH_MISMATCH, truncated);
    }

    @Test
    void shouldRefuseAGroupCountThatOverrunsTheFrame() {
        final byte[] order = Frames.order(1, "o", 1);
        final int countAt = 14 + OrderDecoder.BLOCK_LENGTH + 2;
        assertError(FrameError.BODY_LENGTH_MISMATCH, Frames.withShort(order, countAt, 2));
    }

    @Test
    void shouldRefuseVarDataThatOverrunsOrUnderrunsTheFrame() {
        final byte[] logon = Frames.logon("shop", "0123456789abcdef");
        final UnsafeBuffer buffer = new UnsafeBuffer(logon.clone());
        final int lengthAt = 14 + LogonDecoder.BLOCK_LENGTH;
        buffer.putInt(lengthAt, 0x7fff_ffff, ByteOrder.LITTLE_ENDIAN);
        assertError(FrameError.BODY_LENGTH_MISMATCH, buffer.byteArray());
        buffer.putInt(lengthAt, 3, ByteOrder.LITTLE_ENDIAN);
        assertError(FrameError.BODY_LENGTH_MISMATCH, buffer.byteArray());
    }

    @Test
    void shouldReassembleAFrameSplitAcrossReadsThroughTheReceiveBuffer() {
        final byte[] frame = Frames.order(5, "o-5", 4);
        final ReceiveBuffer receive = new ReceiveBuffer(MAX_FRAME);
        final UnsafeBuffer source = new UnsafeBuffer(frame);
        int sent = 0;
        int decoded = 0;
        while (sent < frame.length) {
            final int chunk = Math.min(7, frame.length - sent);
            sent += receive.append(source, sent, chunk);
            final int result = decoder.decode(receive.buffer(), receive.start(), receive.end());
            if (result > 0) {
                decoded = result;
                receive.consume(result);
            }
        }
        assertEquals(frame.length, decoded);
        assertEquals(0, receive.remaining());
    }

    private void assertError(final FrameError expected, final byte[] bytes) {
        assertEquals(expected.code(), decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length), expected.name());
    }

    private static byte[] prefix(final byte[] bytes, final int length) {
        final byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, 0, length);
        return out;
    }
}
