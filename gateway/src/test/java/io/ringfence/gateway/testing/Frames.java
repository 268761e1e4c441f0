package io.ringfence.gateway.testing;

import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.LogonEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds whole SOFH frames (as byte arrays) of the messages tests send. */
public final class Frames {
    private Frames() {
    }

    public static byte[] logon(final String clientId, final String secret) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final FrameEncoder frames = new FrameEncoder();
        final LogonEncoder logon = frames.begin(buffer, 0, new LogonEncoder())
            .clientSeq(0)
            .clientId(clientId)
            .heartbeatMillis(1000);
        final byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        logon.putSecret(secretBytes, 0, secretBytes.length);
        return bytes(buffer, FrameEncoder.frame(buffer, 0, logon));
    }

    public static byte[] order(final long clientSeq, final String orderId, final int items) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final OrderEncoder order = new FrameEncoder().begin(buffer, 0, new OrderEncoder())
            .clientSeq(clientSeq)
            .eventTime(1_700_000_000_000_000L)
            .orderId(orderId)
            .userId("u-1")
            .merchantId("m-1")
            .amount(12_345)
            .currency("EUR")
            .country("DE")
            .ip("10.0.0.1")
            .deviceId("d-1")
            .instrumentId("card-1")
            .channel(Channel.WEB)
            .label((byte) -1);
        final OrderEncoder.ItemsEncoder lines = order.itemsCount(items);
        for (int i = 0; i < items; i++) {
            lines.next().sku("sku-" + i).qty(1 + i).unitPrice(100).category("cat");
        }
        return bytes(buffer, FrameEncoder.frame(buffer, 0, order));
    }

    public static byte[] payment(final long clientSeq) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final PaymentEncoder payment = new FrameEncoder().begin(buffer, 0, new PaymentEncoder())
            .clientSeq(clientSeq)
            .eventTime(1_700_000_000_000_000L)
            .paymentId("p-" + clientSeq)
            .orderId("o-1")
            .userId("u-1")
            .instrumentId("card-1")
            .amount(500)
            .currency("EUR")
            .result(PaymentResult.AUTHORIZED)
            .label((byte) -1);
        return bytes(buffer, FrameEncoder.frame(buffer, 0, payment));
    }

    public static byte[] subscribe(final long clientSeq) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final SubscribeEncoder subscribe = new FrameEncoder().begin(buffer, 0, new SubscribeEncoder())
            .clientSeq(clientSeq)
            .subscriptionId(7)
            .topic(Topic.FRAUD_ALERT)
            .filterKind(FilterKind.ALL)
            .filter("");
        return bytes(buffer, FrameEncoder.frame(buffer, 0, subscribe));
    }

    public static byte[] heartbeat() {
        return heartbeat(1);
    }

    public static byte[] heartbeat(final long sendTime) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder heartbeat = new FrameEncoder().begin(buffer, 0, new HeartbeatEncoder()).sendTime(sendTime);
        return bytes(buffer, FrameEncoder.frame(buffer, 0, heartbeat));
    }

    /** The SBE message of a frame (what {@code SessionOutbound.offer} takes). */
    public static UnsafeBuffer message(final byte[] frame) {
        final byte[] message = new byte[frame.length - 6];
        System.arraycopy(frame, 6, message, 0, message.length);
        return new UnsafeBuffer(message);
    }

    /** The frame with its SOFH length field replaced. */
    public static byte[] withLength(final byte[] frame, final int length) {
        final byte[] copy = frame.clone();
        new UnsafeBuffer(copy).putInt(0, length, ByteOrder.BIG_ENDIAN);
        return copy;
    }

    /** The frame with a little-endian uint16 at {@code offset} replaced. */
    public static byte[] withShort(final byte[] frame, final int offset, final int value) {
        final byte[] copy = frame.clone();
        new UnsafeBuffer(copy).putShort(offset, (short) value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    /** The frame with its SOFH encoding type replaced. */
    public static byte[] withEncodingType(final byte[] frame, final int type) {
        final byte[] copy = frame.clone();
        new UnsafeBuffer(copy).putShort(4, (short) type, ByteOrder.BIG_ENDIAN);
        return copy;
    }

    /** Offsets of the SBE header fields inside a frame. */
    public static final int BLOCK_LENGTH_AT = 6;
    public static final int TEMPLATE_ID_AT = 8;
    public static final int SCHEMA_ID_AT = 10;
    public static final int VERSION_AT = 12;

    private static byte[] bytes(final UnsafeBuffer buffer, final int length) {
        final byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }
}
